#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int VALUES[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
static const char *LETTERS[] = {"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"};

static int symbol(char c) {
    switch (c) {
    case 'I': return 1;
    case 'V': return 5;
    case 'X': return 10;
    case 'L': return 50;
    case 'C': return 100;
    case 'D': return 500;
    default: return 1000;
    }
}

int main(void) {
    int t;
    char token[64];
    if (scanf("%d", &t) != 1) return 0;
    while (t-- > 0 && scanf("%63s", token) == 1) {
        if (isdigit((unsigned char)token[0])) {
            int n = atoi(token);
            for (int i = 0; i < 13; i++)
                for (; n >= VALUES[i]; n -= VALUES[i]) fputs(LETTERS[i], stdout);
            putchar('\n');
        } else {
            int total = 0, len = (int)strlen(token);
            for (int i = 0; i < len; i++) {
                int v = symbol(token[i]);
                total += (i + 1 < len && symbol(token[i + 1]) > v) ? -v : v;
            }
            printf("%d\n", total);
        }
    }
    return 0;
}
