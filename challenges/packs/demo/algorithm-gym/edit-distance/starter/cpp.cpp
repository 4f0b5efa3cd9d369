#include <bits/stdc++.h>
using namespace std;

static int editDistance(const string &a, const string &b) {
    // TODO: the minimum number of insertions, deletions and substitutions turning a into b
    return 0;
}

int main() {
    string a, b;
    cin >> a >> b;
    cout << editDistance(a, b) << '\n';
    return 0;
}
