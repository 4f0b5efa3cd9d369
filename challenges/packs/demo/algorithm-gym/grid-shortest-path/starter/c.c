#include <stdio.h>

int main(void) {
    char token[64];
    while (scanf("%63s", token) == 1) {
    }
    /* TODO: breadth-first search from S; print the number of moves to reach E, or -1. */
    return 0;
}
