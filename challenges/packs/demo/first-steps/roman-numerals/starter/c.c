#include <stdio.h>

int main(void) {
    char token[64];
    while (scanf("%63s", token) == 1) {
    }
    /* TODO: 1994 -> "MCMXCIV" */
    /* TODO: "MCMXCIV" -> 1994 */
    return 0;
}
