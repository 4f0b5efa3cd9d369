#include <bits/stdc++.h>
using namespace std;

static const vector<pair<int, string>> VALUES = {
    {1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"},
    {50, "L"},   {40, "XL"},  {10, "X"},  {9, "IX"},   {5, "V"},   {4, "IV"}, {1, "I"}};

static int symbol(char c) {
    switch (c) {
        case 'I': return 1;
        case 'V': return 5;
        case 'X': return 10;
        case 'L': return 50;
        case 'C': return 100;
        case 'D': return 500;
        default: return 1000;  // 'M'
    }
}

static string toRoman(int n) {
    string result;
    for (const auto &[value, letters] : VALUES)
        while (n >= value) {
            result += letters;
            n -= value;
        }
    return result;
}

static int fromRoman(const string &s) {
    int total = 0;
    for (size_t i = 0; i < s.size(); i++) {
        int value = symbol(s[i]);
        if (i + 1 < s.size() && symbol(s[i + 1]) > value) total -= value;
        else total += value;
    }
    return total;
}

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int t;
    cin >> t;
    string token;
    for (int i = 0; i < t; i++) {
        cin >> token;
        if (isdigit(static_cast<unsigned char>(token[0]))) cout << toRoman(stoi(token)) << '\n';
        else cout << fromRoman(token) << '\n';
    }
    return 0;
}
