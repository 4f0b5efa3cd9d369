#include <stdio.h>

int main(void) {
    char token[64];
    while (scanf("%63s", token) == 1) {
    }
    /* TODO: print the length of the longest strictly increasing subsequence. */
    /* n can be 100 000: O(n^2) is too slow, look for O(n log n). */
    return 0;
}
