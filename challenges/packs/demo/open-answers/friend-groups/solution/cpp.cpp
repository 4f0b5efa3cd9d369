#include <bits/stdc++.h>
using namespace std;

int main() {
    int n, m;
    cin >> n >> m;
    vector<vector<int>> friends(n + 1);
    for (int i = 0; i < m; i++) {
        int a, b;
        cin >> a >> b;
        friends[a].push_back(b);
        friends[b].push_back(a);
    }
    // Breadth-first search; groups and people come out in visiting order.
    vector<bool> seen(n + 1, false);
    vector<vector<int>> groups;
    for (int start = 1; start <= n; start++) {
        if (seen[start]) continue;
        seen[start] = true;
        vector<int> group{start};
        for (size_t i = 0; i < group.size(); i++)
            for (int other : friends[group[i]])
                if (!seen[other]) {
                    seen[other] = true;
                    group.push_back(other);
                }
        groups.push_back(group);
    }
    string out = to_string(groups.size()) + "\n";
    for (auto &group : groups) {
        for (size_t i = 0; i < group.size(); i++) out += (i ? " " : "") + to_string(group[i]);
        out += "\n";
    }
    fputs(out.c_str(), stdout);
    return 0;
}
