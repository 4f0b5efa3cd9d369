#include <bits/stdc++.h>
using namespace std;

int main() {
    int rows, cols;
    cin >> rows >> cols;
    vector<vector<long long>> grid(rows, vector<long long>(cols));
    for (auto &row : grid)
        for (auto &v : row) cin >> v;
    // TODO: walk the grid clockwise from the top-left corner, layer by layer,
    // and print the values on one line separated by spaces.
    return 0;
}
