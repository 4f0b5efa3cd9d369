#include <stdio.h>

int main(void) {
    char token[64];
    while (scanf("%63s", token) == 1) {
    }
    /* TODO: merge the intervals that overlap or touch, then print how many are left */
    /* and each of them, from left to right. */
    return 0;
}
