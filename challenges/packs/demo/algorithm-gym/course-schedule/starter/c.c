#include <stdio.h>

int main(void) {
    char token[64];
    while (scanf("%63s", token) == 1) {
    }
    /* TODO: print the smallest valid order of the courses 1..n (each "a b" means a */
    /* before b), or IMPOSSIBLE if the prerequisites form a cycle. */
    return 0;
}
