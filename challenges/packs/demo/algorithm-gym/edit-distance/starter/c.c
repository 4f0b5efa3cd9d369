#include <stdio.h>

int main(void) {
    char token[64];
    while (scanf("%63s", token) == 1) {
    }
    /* TODO: the minimum number of insertions, deletions and substitutions turning a into b */
    return 0;
}
