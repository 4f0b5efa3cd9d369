#include <bits/stdc++.h>
using namespace std;

int main() {
    int n, m;
    cin >> n >> m;
    vector<pair<int, int>> prerequisites(m);
    for (auto &[a, b] : prerequisites) cin >> a >> b;
    // TODO: print the smallest valid order of the courses 1..n (each "a b" means a
    // before b), or IMPOSSIBLE if the prerequisites form a cycle.
    return 0;
}
