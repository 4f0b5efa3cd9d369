#include <stdio.h>
#include <string.h>

static char payload[1 << 21];

int main(void) {
    int t;
    char mode[4];
    if (scanf("%d", &t) != 1) return 0;
    while (t-- > 0 && scanf("%3s %2097151s", mode, payload) == 2) {
        int n = (int)strlen(payload);
        if (mode[0] == 'E') {
            for (int i = 0; i < n;) {
                int j = i;
                while (j < n && payload[j] == payload[i]) j++;
                if (j - i > 1) printf("%d", j - i);
                putchar(payload[i]);
                i = j;
            }
        } else {
            long count = 0;
            for (int i = 0; i < n; i++) {
                char c = payload[i];
                if (c >= '0' && c <= '9') {
                    count = count * 10 + (c - '0');
                    continue;
                }
                for (long k = count ? count : 1; k > 0; k--) putchar(c);
                count = 0;
            }
        }
        putchar('\n');
    }
    return 0;
}
