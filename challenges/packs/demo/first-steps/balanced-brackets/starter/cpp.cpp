#include <bits/stdc++.h>
using namespace std;

// Return the 1-based position where s stops being balanced, or 0 if it is balanced.
static size_t firstError(const string &s) {
    // TODO: use a stack of the brackets that are still open.
    return 0;
}

int main() {
    int t;
    cin >> t;
    string s;
    for (int i = 0; i < t; i++) {
        cin >> s;
        size_t error = firstError(s);
        // TODO: print YES or the position
        (void)error;
    }
    return 0;
}
