#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char a[1 << 16], b[1 << 16];

int main(void) {
    if (scanf("%65535s %65535s", a, b) != 2) return 0;
    char *x = a, *y = b;
    if (strlen(x) < strlen(y)) x = b, y = a;
    int n = (int)strlen(x), m = (int)strlen(y);
    int *previous = malloc(sizeof(int) * (m + 1)), *current = malloc(sizeof(int) * (m + 1));
    for (int j = 0; j <= m; j++) previous[j] = j;
    for (int i = 1; i <= n; i++) {
        current[0] = i;
        for (int j = 1; j <= m; j++) {
            int best = previous[j - 1] + (x[i - 1] != y[j - 1]);
            if (previous[j] + 1 < best) best = previous[j] + 1;
            if (current[j - 1] + 1 < best) best = current[j - 1] + 1;
            current[j] = best;
        }
        int *t = previous; previous = current; current = t;
    }
    printf("%d\n", previous[m]);
    return 0;
}
