#include <bits/stdc++.h>
using namespace std;

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int q;
    cin >> q;
    vector<pair<int, int>> queries(q);
    int limit = 1;
    for (auto &[lo, hi] : queries) {
        cin >> lo >> hi;
        limit = max(limit, hi);
    }

    // Sieve of Eratosthenes, then prefix counts: upTo[x] = number of primes <= x.
    vector<bool> composite(limit + 1, false);
    for (long long p = 2; p * p <= limit; p++)
        if (!composite[p])
            for (long long m = p * p; m <= limit; m += p) composite[m] = true;
    vector<int> upTo(limit + 1, 0);
    for (int x = 2; x <= limit; x++) upTo[x] = upTo[x - 1] + (composite[x] ? 0 : 1);

    string out;
    for (auto &[lo, hi] : queries) {
        out += to_string(upTo[hi] - upTo[lo - 1]);
        out += '\n';
    }
    cout << out;
    return 0;
}
