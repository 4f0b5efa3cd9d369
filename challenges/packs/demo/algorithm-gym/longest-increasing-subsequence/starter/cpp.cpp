#include <bits/stdc++.h>
using namespace std;

int main() {
    int n;
    cin >> n;
    vector<long long> values(n);
    for (auto &x : values) cin >> x;
    // TODO: print the length of the longest strictly increasing subsequence.
    // n can be 100 000: O(n^2) is too slow, look for O(n log n).
    return 0;
}
