#include <bits/stdc++.h>
using namespace std;

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n, capacity;
    cin >> n >> capacity;
    vector<int> weight(n);
    vector<long long> value(n);
    for (int i = 0; i < n; i++) cin >> weight[i] >> value[i];

    // best[i][c] = the best value using items i..n-1 within capacity c.
    vector<vector<long long>> best(n + 1, vector<long long>(capacity + 1, 0));
    for (int i = n - 1; i >= 0; i--)
        for (int c = 0; c <= capacity; c++) {
            best[i][c] = best[i + 1][c];
            if (weight[i] <= c) best[i][c] = max(best[i][c], best[i + 1][c - weight[i]] + value[i]);
        }

    // Going forward, take every item that an optimal choice can take: with positive values
    // this gives the lexicographically smallest list of indices.
    vector<int> chosen;
    int c = capacity;
    for (int i = 0; i < n; i++)
        if (weight[i] <= c && best[i + 1][c - weight[i]] + value[i] == best[i][c]) {
            chosen.push_back(i + 1);
            c -= weight[i];
        }
    cout << best[0][capacity] << '\n' << chosen.size();
    for (int index : chosen) cout << ' ' << index;
    cout << '\n';
    return 0;
}
