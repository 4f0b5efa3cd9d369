#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b) {
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

int main(void) {
    int n;
    long long target;
    scanf("%d %lld", &n, &target);
    long long *a = malloc(sizeof *a * (n > 0 ? n : 1));
    for (int i = 0; i < n; i++) scanf("%lld", &a[i]);
    qsort(a, n, sizeof *a, cmp);
    /* Pairs i < j with a[i] + a[j] == target, counted with two pointers over the sorted values. */
    long long pairs = 0;
    int i = 0, j = n - 1;
    while (i < j) {
        long long sum = a[i] + a[j];
        if (sum < target) {
            i++;
        } else if (sum > target) {
            j--;
        } else if (a[i] == a[j]) {
            long long run = j - i + 1;
            pairs += run * (run - 1) / 2;
            break;
        } else {
            long long left = 1, right = 1;
            while (i + 1 < j && a[i + 1] == a[i]) i++, left++;
            while (j - 1 > i && a[j - 1] == a[j]) j--, right++;
            pairs += left * right;
            i++, j--;
        }
    }
    printf("%lld\n", pairs);
    return 0;
}
