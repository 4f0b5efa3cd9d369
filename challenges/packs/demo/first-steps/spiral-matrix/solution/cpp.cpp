#include <bits/stdc++.h>
using namespace std;

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int rows, cols;
    cin >> rows >> cols;
    vector<vector<long long>> grid(rows, vector<long long>(cols));
    for (auto &row : grid)
        for (auto &v : row) cin >> v;

    vector<long long> order;
    order.reserve(static_cast<size_t>(rows) * cols);
    int top = 0, bottom = rows - 1, left = 0, right = cols - 1;
    while (top <= bottom && left <= right) {
        for (int c = left; c <= right; c++) order.push_back(grid[top][c]);
        for (int r = top + 1; r <= bottom; r++) order.push_back(grid[r][right]);
        if (top < bottom && left < right) {
            for (int c = right - 1; c >= left; c--) order.push_back(grid[bottom][c]);
            for (int r = bottom - 1; r > top; r--) order.push_back(grid[r][left]);
        }
        top++, bottom--, left++, right--;
    }
    string out;
    for (size_t i = 0; i < order.size(); i++) {
        if (i) out += ' ';
        out += to_string(order[i]);
    }
    cout << out << '\n';
    return 0;
}
