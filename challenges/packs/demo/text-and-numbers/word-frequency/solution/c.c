#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char text[1 << 20];
static char *words[1 << 18];

static int by_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

typedef struct { char *word; int count; } Count;

static int by_count_then_word(const void *a, const void *b) {
    const Count *x = a, *y = b;
    if (x->count != y->count) return y->count - x->count;
    return strcmp(x->word, y->word);
}

int main(void) {
    int k;
    if (scanf("%d", &k) != 1) return 0;
    size_t length = fread(text, 1, sizeof text - 1, stdin);
    text[length] = 0;
    int n = 0;
    for (size_t i = 0; i < length;) {
        if (!isalpha((unsigned char)text[i])) {
            text[i++] = 0;
            continue;
        }
        words[n++] = text + i;
        while (i < length && isalpha((unsigned char)text[i])) text[i] = (char)tolower((unsigned char)text[i]), i++;
    }
    qsort(words, n, sizeof *words, by_text);
    Count *counts = malloc(sizeof *counts * (n ? n : 1));
    int distinct = 0;
    for (int i = 0; i < n; i++) {
        if (distinct && !strcmp(counts[distinct - 1].word, words[i])) counts[distinct - 1].count++;
        else counts[distinct++] = (Count){words[i], 1};
    }
    qsort(counts, distinct, sizeof *counts, by_count_then_word);
    for (int i = 0; i < distinct && i < k; i++) printf("%s %d\n", counts[i].word, counts[i].count);
    return 0;
}
