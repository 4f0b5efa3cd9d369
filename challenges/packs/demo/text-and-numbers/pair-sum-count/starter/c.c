#include <stdio.h>

int main(void) {
    char token[64];
    while (scanf("%63s", token) == 1) {
    }
    /* TODO: count the pairs i < j with values[i] + values[j] == target. */
    /* n can be 200 000: an O(n^2) double loop is too slow. */
    return 0;
}
