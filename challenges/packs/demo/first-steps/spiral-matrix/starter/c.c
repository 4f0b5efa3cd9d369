#include <stdio.h>

int main(void) {
    char token[64];
    while (scanf("%63s", token) == 1) {
    }
    /* TODO: walk the grid clockwise from the top-left corner, layer by layer, */
    /* and print the values on one line separated by spaces. */
    return 0;
}
