#include <math.h>
#include <stdio.h>

int main(void) {
    int n;
    double x, y, px = 0, py = 0, total = 0;
    scanf("%d", &n);
    for (int i = 0; i < n; i++) {
        scanf("%lf %lf", &x, &y);
        if (i) total += hypot(x - px, y - py);
        px = x, py = y;
    }
    printf("%.6f\n", total);
    return 0;
}
