#include <bits/stdc++.h>
using namespace std;

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n;
    cin >> n;
    vector<pair<long long, long long>> intervals(n);
    for (auto &[lo, hi] : intervals) cin >> lo >> hi;
    sort(intervals.begin(), intervals.end());

    vector<pair<long long, long long>> merged;
    for (auto [lo, hi] : intervals) {
        if (!merged.empty() && lo <= merged.back().second)
            merged.back().second = max(merged.back().second, hi);
        else
            merged.push_back({lo, hi});
    }
    string out = to_string(merged.size()) + '\n';
    for (auto [lo, hi] : merged) out += to_string(lo) + ' ' + to_string(hi) + '\n';
    cout << out;
    return 0;
}
