#include <bits/stdc++.h>
using namespace std;

int main() {
    string word;
    cin >> word;
    int n = word.size();
    array<int, 26> count{};
    for (char c : word) count[c - 'a']++;
    vector<int> order(26);
    iota(order.begin(), order.end(), 0);
    // Most frequent letter first; ties by the letter from z down (another arrangement).
    sort(order.begin(), order.end(), [&](int a, int b) {
        return count[a] != count[b] ? count[a] > count[b] : a > b;
    });
    if (count[order[0]] > (n + 1) / 2) {
        puts("IMPOSSIBLE");
        return 0;
    }
    string answer(n, ' ');
    int slot = 0;
    for (int letter : order)
        for (int k = 0; k < count[letter]; k++) {
            answer[slot] = 'a' + letter;
            slot += 2;
            if (slot >= n) slot = 1;
        }
    puts(answer.c_str());
    return 0;
}
