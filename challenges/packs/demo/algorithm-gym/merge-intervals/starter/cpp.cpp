#include <bits/stdc++.h>
using namespace std;

int main() {
    int n;
    cin >> n;
    vector<pair<long long, long long>> intervals(n);
    for (auto &[lo, hi] : intervals) cin >> lo >> hi;
    // TODO: merge the intervals that overlap or touch, then print how many are left
    // and each of them, from left to right.
    return 0;
}
