#include <stdio.h>

int main(void) {
    char token[64];
    while (scanf("%63s", token) == 1) {
    }
    /* TODO: group the words that are anagrams of each other, sort each group, */
    /* order the groups (largest first, ties by first word) and print them. */
    return 0;
}
