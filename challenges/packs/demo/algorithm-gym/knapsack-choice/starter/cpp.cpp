#include <bits/stdc++.h>
using namespace std;

int main() {
    int n, capacity;
    cin >> n >> capacity;
    vector<int> weight(n);
    vector<long long> value(n);
    for (int i = 0; i < n; i++) cin >> weight[i] >> value[i];
    // TODO: find the best total value within the capacity (0/1 knapsack), then the
    // lexicographically smallest list of item indices (1-based) that achieves it.
    // Print the value, then the count followed by the indices.
    return 0;
}
