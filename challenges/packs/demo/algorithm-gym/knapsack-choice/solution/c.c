#include <stdio.h>

static long long best[101][10001];

int main(void) {
    int n, capacity, weight[100];
    long long value[100];
    scanf("%d %d", &n, &capacity);
    for (int i = 0; i < n; i++) scanf("%d %lld", &weight[i], &value[i]);
    /* best[i][c] = the best value using items i..n-1 within capacity c. */
    for (int i = n - 1; i >= 0; i--)
        for (int c = 0; c <= capacity; c++) {
            best[i][c] = best[i + 1][c];
            if (weight[i] <= c && best[i + 1][c - weight[i]] + value[i] > best[i][c])
                best[i][c] = best[i + 1][c - weight[i]] + value[i];
        }
    /* Going forward, take every item an optimal choice can take: the smallest list of indices. */
    int chosen[100], count = 0, c = capacity;
    for (int i = 0; i < n; i++)
        if (weight[i] <= c && best[i + 1][c - weight[i]] + value[i] == best[i][c]) {
            chosen[count++] = i + 1;
            c -= weight[i];
        }
    printf("%lld\n%d", best[0][capacity], count);
    for (int i = 0; i < count; i++) printf(" %d", chosen[i]);
    putchar('\n');
    return 0;
}
