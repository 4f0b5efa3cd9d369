#include <bits/stdc++.h>
using namespace std;

int main() {
    int n;
    long long target;
    cin >> n >> target;
    vector<long long> values(n);
    for (auto &x : values) cin >> x;
    // TODO: count the pairs i < j with values[i] + values[j] == target.
    // n can be 200 000: an O(n^2) double loop is too slow, and the answer needs 64 bits.
    return 0;
}
