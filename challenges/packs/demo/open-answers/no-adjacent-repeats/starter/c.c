#include <stdio.h>

int main(void) {
    char token[64];
    while (scanf("%63s", token) == 1) {
    }
    /* TODO: rearrange the letters so no two neighbours are equal, or print IMPOSSIBLE. */
    return 0;
}
