#include <bits/stdc++.h>
using namespace std;

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    size_t k;
    cin >> k;
    string text((istreambuf_iterator<char>(cin)), istreambuf_iterator<char>());

    unordered_map<string, int> counts;
    string word;
    for (char ch : text) {
        unsigned char c = static_cast<unsigned char>(ch);
        if (c < 128 && isalpha(c)) {
            word += static_cast<char>(tolower(c));
        } else if (!word.empty()) {
            counts[word]++;
            word.clear();
        }
    }
    if (!word.empty()) counts[word]++;

    vector<pair<string, int>> ranked(counts.begin(), counts.end());
    sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    for (size_t i = 0; i < ranked.size() && i < k; i++)
        cout << ranked[i].first << ' ' << ranked[i].second << '\n';
    return 0;
}
