#include <bits/stdc++.h>
using namespace std;

int main() {
    string a, b;
    cin >> a >> b;
    // previous[j] = distance between the prefix of a seen so far (minus one) and b[:j]
    vector<int> previous(b.size() + 1), current(b.size() + 1);
    iota(previous.begin(), previous.end(), 0);
    for (size_t i = 1; i <= a.size(); i++) {
        current[0] = static_cast<int>(i);
        for (size_t j = 1; j <= b.size(); j++) {
            int diagonal = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = min({diagonal, previous[j] + 1, current[j - 1] + 1});
        }
        swap(previous, current);
    }
    cout << previous[b.size()] << '\n';
    return 0;
}
