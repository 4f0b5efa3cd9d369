#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(void) {
    int n;
    scanf("%d", &n);
    double *v = malloc(sizeof *v * n);
    for (int i = 0; i < n; i++) scanf("%lf", &v[i]);
    qsort(v, n, sizeof *v, cmp);
    double sum = 0, squares = 0;
    for (int i = 0; i < n; i++) sum += v[i];
    double mean = sum / n;
    for (int i = 0; i < n; i++) squares += (v[i] - mean) * (v[i] - mean);
    double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    printf("%.9f\n%.9f\n%.9f\n", mean, sqrt(squares / n), median);
    return 0;
}
