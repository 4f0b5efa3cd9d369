#include <stdio.h>

int main(void) {
    char token[64];
    while (scanf("%63s", token) == 1) {
    }
    /* TODO: split text into words (runs of the letters A-Z / a-z, case-insensitive), */
    /* count them, and print the k most frequent as "word count", one per line. */
    return 0;
}
