#include <bits/stdc++.h>
using namespace std;

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n;
    cin >> n;
    unordered_map<string, vector<string>> groups;
    string word;
    for (int i = 0; i < n; i++) {
        cin >> word;
        string key = word;
        sort(key.begin(), key.end());
        groups[key].push_back(word);
    }
    vector<vector<string>> ordered;
    ordered.reserve(groups.size());
    for (auto &entry : groups) {
        sort(entry.second.begin(), entry.second.end());
        ordered.push_back(move(entry.second));
    }
    sort(ordered.begin(), ordered.end(), [](const auto &a, const auto &b) {
        return a.size() != b.size() ? a.size() > b.size() : a[0] < b[0];
    });
    string out = to_string(ordered.size()) + '\n';
    for (const auto &words : ordered) {
        for (size_t i = 0; i < words.size(); i++) {
            if (i) out += ' ';
            out += words[i];
        }
        out += '\n';
    }
    cout << out;
    return 0;
}
