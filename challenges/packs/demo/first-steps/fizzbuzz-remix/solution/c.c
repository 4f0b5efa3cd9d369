#include <stdio.h>

int main(void) {
    int n, k;
    scanf("%d %d", &n, &k);
    int divisor[64];
    char word[64][64];
    for (int i = 0; i < k; i++) scanf("%d %63s", &divisor[i], word[i]);
    for (int i = 1; i <= n; i++) {
        int matched = 0;
        for (int r = 0; r < k; r++) {
            if (i % divisor[r] == 0) {
                fputs(word[r], stdout);
                matched = 1;
            }
        }
        if (!matched) printf("%d", i);
        putchar('\n');
    }
    return 0;
}
