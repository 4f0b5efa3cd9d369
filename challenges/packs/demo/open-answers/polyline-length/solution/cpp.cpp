#include <bits/stdc++.h>
using namespace std;

int main() {
    int n;
    cin >> n;
    vector<double> x(n), y(n);
    for (int i = 0; i < n; i++) cin >> x[i] >> y[i];
    double total = 0;
    for (int i = 1; i < n; i++) total += hypot(x[i] - x[i - 1], y[i] - y[i - 1]);
    printf("%.10e\n", total);  // scientific notation is a number too
    return 0;
}
