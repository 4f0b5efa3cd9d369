#include <bits/stdc++.h>
using namespace std;

// 1-based position where s stops being balanced, or 0 if it is balanced.
static size_t firstError(const string &s) {
    string stack;
    for (size_t i = 0; i < s.size(); i++) {
        char c = s[i];
        char want = c == ')' ? '(' : c == ']' ? '[' : c == '}' ? '{' : 0;
        if (want) {
            if (stack.empty() || stack.back() != want) return i + 1;
            stack.pop_back();
        } else {
            stack.push_back(c);
        }
    }
    return stack.empty() ? 0 : s.size() + 1;
}

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int t;
    cin >> t;
    string s;
    for (int i = 0; i < t; i++) {
        cin >> s;
        size_t error = firstError(s);
        if (error == 0) cout << "YES\n";
        else cout << error << '\n';
    }
    return 0;
}
