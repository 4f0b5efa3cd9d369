#include <bits/stdc++.h>
using namespace std;

static string encode(const string &text) {
    // TODO: "aaabccdddd" -> "3ab2c4d"
    return "";
}

static string decode(const string &code) {
    // TODO: "3ab2c4d" -> "aaabccdddd"
    return "";
}

int main() {
    int t;
    cin >> t;
    string mode, payload;
    for (int i = 0; i < t; i++) {
        cin >> mode >> payload;
        // TODO: print encode(payload) or decode(payload) depending on mode
    }
    return 0;
}
