#include <stdio.h>

int main(void) {
    char token[64];
    while (scanf("%63s", token) == 1) {
    }
    /* TODO: find the groups of people linked by friendships and print them. */
    return 0;
}
