#include <bits/stdc++.h>
using namespace std;

static string encode(const string &text) {
    string result;
    size_t i = 0;
    while (i < text.size()) {
        size_t j = i;
        while (j < text.size() && text[j] == text[i]) j++;
        if (j - i > 1) result += to_string(j - i);
        result += text[i];
        i = j;
    }
    return result;
}

static string decode(const string &code) {
    string result;
    size_t count = 0;
    for (char c : code) {
        if (isdigit(static_cast<unsigned char>(c))) {
            count = count * 10 + (c - '0');
        } else {
            result.append(count == 0 ? 1 : count, c);
            count = 0;
        }
    }
    return result;
}

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int t;
    cin >> t;
    string mode, payload;
    for (int i = 0; i < t; i++) {
        cin >> mode >> payload;
        cout << (mode == "E" ? encode(payload) : decode(payload)) << '\n';
    }
    return 0;
}
