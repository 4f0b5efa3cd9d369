#include <bits/stdc++.h>
using namespace std;

int main() {
    int q;
    cin >> q;
    vector<pair<int, int>> queries(q);
    for (auto &[lo, hi] : queries) cin >> lo >> hi;
    // TODO: sieve the primes up to the largest R once, then answer every query
    // "how many primes in [L, R]?" quickly (think prefix counts).
    return 0;
}
