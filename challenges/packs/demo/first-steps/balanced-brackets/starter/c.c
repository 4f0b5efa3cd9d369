#include <stdio.h>

int main(void) {
    char token[64];
    while (scanf("%63s", token) == 1) {
    }
    /* TODO: use a stack of the brackets that are still open. */
    /* TODO: print YES or the position */
    return 0;
}
