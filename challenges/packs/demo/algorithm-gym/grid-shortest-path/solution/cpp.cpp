#include <bits/stdc++.h>
using namespace std;

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int rows, cols;
    cin >> rows >> cols;
    vector<string> grid(rows);
    for (auto &line : grid) cin >> line;

    vector<vector<int>> distance(rows, vector<int>(cols, -1));
    int goalR = 0, goalC = 0;
    queue<pair<int, int>> todo;
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            if (grid[r][c] == 'S') {
                distance[r][c] = 0;
                todo.push({r, c});
            } else if (grid[r][c] == 'E') {
                goalR = r, goalC = c;
            }
        }
    const int dr[] = {-1, 1, 0, 0}, dc[] = {0, 0, -1, 1};
    while (!todo.empty()) {
        auto [r, c] = todo.front();
        todo.pop();
        if (r == goalR && c == goalC) break;
        for (int d = 0; d < 4; d++) {
            int nr = r + dr[d], nc = c + dc[d];
            if (nr < 0 || nr >= rows || nc < 0 || nc >= cols) continue;
            if (grid[nr][nc] == '#' || distance[nr][nc] >= 0) continue;
            distance[nr][nc] = distance[r][c] + 1;
            todo.push({nr, nc});
        }
    }
    cout << distance[goalR][goalC] << '\n';
    return 0;
}
