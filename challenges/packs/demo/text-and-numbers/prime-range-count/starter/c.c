#include <stdio.h>

int main(void) {
    char token[64];
    while (scanf("%63s", token) == 1) {
    }
    /* TODO: sieve the primes up to the largest R once, then answer every query */
    /* "how many primes in [L, R]?" quickly (think prefix counts). */
    return 0;
}
