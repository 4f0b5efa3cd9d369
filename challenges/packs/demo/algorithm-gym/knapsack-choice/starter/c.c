#include <stdio.h>

int main(void) {
    char token[64];
    while (scanf("%63s", token) == 1) {
    }
    /* TODO: find the best total value within the capacity (0/1 knapsack), then the */
    /* lexicographically smallest list of item indices (1-based) that achieves it. */
    /* Print the value, then the count followed by the indices. */
    return 0;
}
