#include <stdio.h>
#include <stdlib.h>

typedef struct { long long lo, hi; } Interval;

static int cmp(const void *a, const void *b) {
    const Interval *x = a, *y = b;
    if (x->lo != y->lo) return (x->lo > y->lo) - (x->lo < y->lo);
    return (x->hi > y->hi) - (x->hi < y->hi);
}

int main(void) {
    int n, count = 0;
    scanf("%d", &n);
    Interval *v = malloc(sizeof *v * n);
    for (int i = 0; i < n; i++) scanf("%lld %lld", &v[i].lo, &v[i].hi);
    qsort(v, n, sizeof *v, cmp);
    for (int i = 0; i < n; i++) {
        if (count && v[i].lo <= v[count - 1].hi) {
            if (v[i].hi > v[count - 1].hi) v[count - 1].hi = v[i].hi;
        } else {
            v[count++] = v[i];
        }
    }
    printf("%d\n", count);
    for (int i = 0; i < count; i++) printf("%lld %lld\n", v[i].lo, v[i].hi);
    return 0;
}
