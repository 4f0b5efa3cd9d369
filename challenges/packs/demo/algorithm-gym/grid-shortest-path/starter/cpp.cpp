#include <bits/stdc++.h>
using namespace std;

int main() {
    int rows, cols;
    cin >> rows >> cols;
    vector<string> grid(rows);  // grid[r][c] is one of . # S E
    for (auto &line : grid) cin >> line;
    // TODO: breadth-first search from S; print the number of moves to reach E, or -1.
    return 0;
}
