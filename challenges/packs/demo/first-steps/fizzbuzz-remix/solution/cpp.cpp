#include <bits/stdc++.h>
using namespace std;

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n, k;
    cin >> n >> k;
    vector<pair<int, string>> rules(k);
    for (auto &r : rules) cin >> r.first >> r.second;
    string out;
    for (int i = 1; i <= n; i++) {
        string word;
        for (auto &r : rules)
            if (i % r.first == 0) word += r.second;
        out += word.empty() ? to_string(i) : word;
        out += '\n';
    }
    cout << out;
    return 0;
}
