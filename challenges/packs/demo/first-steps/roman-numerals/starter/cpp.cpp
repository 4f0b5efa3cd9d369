#include <bits/stdc++.h>
using namespace std;

static string toRoman(int n) {
    // TODO: 1994 -> "MCMXCIV"
    return "";
}

static int fromRoman(const string &s) {
    // TODO: "MCMXCIV" -> 1994
    return 0;
}

int main() {
    int t;
    cin >> t;
    string token;
    for (int i = 0; i < t; i++) {
        cin >> token;
        // TODO: convert each token to the other notation and print it
    }
    return 0;
}
