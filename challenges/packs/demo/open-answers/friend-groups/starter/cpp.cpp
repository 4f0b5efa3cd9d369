#include <bits/stdc++.h>
using namespace std;

int main() {
    int n, m;
    cin >> n >> m;
    vector<pair<int, int>> pairs(m);
    for (auto &p : pairs) cin >> p.first >> p.second;
    // TODO: find the groups of people linked by friendships and print them.
    return 0;
}
