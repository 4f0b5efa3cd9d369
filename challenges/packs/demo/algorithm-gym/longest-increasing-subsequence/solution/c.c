#include <stdio.h>

static long long tails[100000];

int main(void) {
    int n, size = 0;
    scanf("%d", &n);
    /* tails[k] = smallest possible last value of a strictly increasing subsequence of length k+1 */
    for (int i = 0; i < n; i++) {
        long long x;
        scanf("%lld", &x);
        int lo = 0, hi = size;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (tails[mid] < x) lo = mid + 1;
            else hi = mid;
        }
        tails[lo] = x;
        if (lo == size) size++;
    }
    printf("%d\n", size);
    return 0;
}
