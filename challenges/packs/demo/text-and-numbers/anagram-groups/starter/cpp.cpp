#include <bits/stdc++.h>
using namespace std;

int main() {
    int n;
    cin >> n;
    vector<string> words(n);
    for (auto &w : words) cin >> w;
    // TODO: group the words that are anagrams of each other, sort each group,
    // order the groups (largest first, ties by first word) and print them.
    return 0;
}
