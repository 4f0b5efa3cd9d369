#include <stdio.h>

int main(void) {
    char token[64];
    while (scanf("%63s", token) == 1) {
    }
    /* TODO: compute the mean, the population standard deviation and the median, */
    /* and print each on its own line (for example with f"{value:.9f}"). */
    return 0;
}
