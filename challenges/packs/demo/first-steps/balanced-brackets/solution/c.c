#include <stdio.h>
#include <string.h>

static char s[1 << 20], stack[1 << 20];

/* 1-based position where s stops being balanced, or 0 if it is balanced. */
static int first_error(const char *text) {
    int top = 0, n = (int)strlen(text);
    for (int i = 0; i < n; i++) {
        char c = text[i];
        char open = c == ')' ? '(' : c == ']' ? '[' : c == '}' ? '{' : 0;
        if (open) {
            if (top == 0 || stack[--top] != open) return i + 1;
        } else {
            stack[top++] = c;
        }
    }
    return top ? n + 1 : 0;
}

int main(void) {
    int t;
    if (scanf("%d", &t) != 1) return 0;
    while (t-- > 0 && scanf("%1048575s", s) == 1) {
        int error = first_error(s);
        if (error) printf("%d\n", error);
        else puts("YES");
    }
    return 0;
}
