#include <bits/stdc++.h>
using namespace std;

int main() {
    size_t k;
    cin >> k;
    string text((istreambuf_iterator<char>(cin)), istreambuf_iterator<char>());
    // TODO: split text into words (runs of the letters A-Z / a-z, case-insensitive),
    // count them, and print the k most frequent as "word count", one per line.
    return 0;
}
