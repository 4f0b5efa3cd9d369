#include <bits/stdc++.h>
using namespace std;

int main() {
    int n, k;
    cin >> n >> k;
    vector<pair<int, string>> rules(k);
    for (auto &r : rules) cin >> r.first >> r.second;
    // TODO: for every i from 1 to n, print the words of the rules whose divisor
    // divides i (in input order), or i itself when no rule matches.
    return 0;
}
