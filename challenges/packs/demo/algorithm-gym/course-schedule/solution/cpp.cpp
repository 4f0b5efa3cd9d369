#include <bits/stdc++.h>
using namespace std;

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n, m;
    cin >> n >> m;
    vector<vector<int>> after(n + 1);
    vector<int> waiting(n + 1, 0);  // number of prerequisites not yet taken
    for (int i = 0; i < m; i++) {
        int a, b;
        cin >> a >> b;
        after[a].push_back(b);
        waiting[b]++;
    }

    // Kahn's algorithm, always taking the smallest available course.
    priority_queue<int, vector<int>, greater<int>> ready;
    for (int course = 1; course <= n; course++)
        if (waiting[course] == 0) ready.push(course);
    vector<int> order;
    while (!ready.empty()) {
        int course = ready.top();
        ready.pop();
        order.push_back(course);
        for (int next : after[course])
            if (--waiting[next] == 0) ready.push(next);
    }
    if (static_cast<int>(order.size()) != n) {
        cout << "IMPOSSIBLE\n";
        return 0;
    }
    string out;
    for (int i = 0; i < n; i++) {
        if (i) out += ' ';
        out += to_string(order[i]);
    }
    cout << out << '\n';
    return 0;
}
