#include <stdio.h>

int main(void) {
    char token[64];
    while (scanf("%63s", token) == 1) {
    }
    /* TODO: add up the lengths of the segments between consecutive points and print it. */
    return 0;
}
