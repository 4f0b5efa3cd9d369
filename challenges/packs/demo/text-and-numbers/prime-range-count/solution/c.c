#include <stdio.h>
#include <stdlib.h>

int main(void) {
    int q;
    scanf("%d", &q);
    int *lo = malloc(sizeof *lo * q), *hi = malloc(sizeof *hi * q);
    int limit = 1;
    for (int i = 0; i < q; i++) {
        scanf("%d %d", &lo[i], &hi[i]);
        if (hi[i] > limit) limit = hi[i];
    }
    /* The sieve of Eratosthenes, then primes[x] = number of primes <= x. */
    char *composite = calloc(limit + 1, 1);
    int *primes = malloc(sizeof *primes * (limit + 1));
    composite[0] = composite[1] = 1;
    for (long p = 2; p * p <= limit; p++)
        if (!composite[p])
            for (long m = p * p; m <= limit; m += p) composite[m] = 1;
    int count = 0;
    for (int x = 0; x <= limit; x++) primes[x] = count += !composite[x];
    for (int i = 0; i < q; i++) printf("%d\n", primes[hi[i]] - (lo[i] > 0 ? primes[lo[i] - 1] : 0));
    return 0;
}
