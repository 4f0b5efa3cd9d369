#include <stdio.h>

int main(void) {
    char token[64];
    while (scanf("%63s", token) == 1) {
    }
    /* TODO: "aaabccdddd" -> "3ab2c4d" */
    /* TODO: "3ab2c4d" -> "aaabccdddd" */
    /* TODO: print encode(payload) or decode(payload) depending on mode */
    return 0;
}
