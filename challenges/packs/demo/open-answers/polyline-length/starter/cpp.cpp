#include <bits/stdc++.h>
using namespace std;

int main() {
    int n;
    cin >> n;
    vector<pair<long long, long long>> points(n);
    for (auto &p : points) cin >> p.first >> p.second;
    // TODO: add up the lengths of the segments between consecutive points and print it.
    return 0;
}
