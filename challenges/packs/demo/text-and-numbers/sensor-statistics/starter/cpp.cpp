#include <bits/stdc++.h>
using namespace std;

int main() {
    int n;
    cin >> n;
    vector<double> values(n);
    for (auto &x : values) cin >> x;
    // TODO: compute the mean, the population standard deviation and the median,
    // and print each on its own line (for example with printf("%.9f\n", value)).
    return 0;
}
