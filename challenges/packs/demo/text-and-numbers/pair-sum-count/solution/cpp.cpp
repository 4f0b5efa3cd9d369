#include <bits/stdc++.h>
using namespace std;

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n;
    long long target;
    cin >> n >> target;
    vector<long long> a(n);
    for (auto &x : a) cin >> x;

    // Sort, then count pairs with two pointers, taking runs of equal values at once.
    sort(a.begin(), a.end());
    long long pairs = 0;
    int i = 0, j = n - 1;
    while (i < j) {
        long long sum = a[i] + a[j];
        if (sum < target) {
            i++;
        } else if (sum > target) {
            j--;
        } else if (a[i] == a[j]) {
            long long run = j - i + 1;
            pairs += run * (run - 1) / 2;
            break;
        } else {
            long long left = 1, right = 1;
            while (i + 1 < j && a[i + 1] == a[i]) i++, left++;
            while (j - 1 > i && a[j - 1] == a[j]) j--, right++;
            pairs += left * right;
            i++, j--;
        }
    }
    cout << pairs << '\n';
    return 0;
}
