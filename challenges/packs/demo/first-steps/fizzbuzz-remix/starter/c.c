#include <stdio.h>

int main(void) {
    char token[64];
    while (scanf("%63s", token) == 1) {
    }
    /* TODO: for every i from 1 to n, print the words of the rules whose divisor */
    /* divides i (in input order), or i itself when no rule matches. */
    return 0;
}
