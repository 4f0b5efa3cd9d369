#include <bits/stdc++.h>
using namespace std;

int main() {
    string word;
    cin >> word;
    // TODO: rearrange the letters so no two neighbours are equal, or print IMPOSSIBLE.
    return 0;
}
