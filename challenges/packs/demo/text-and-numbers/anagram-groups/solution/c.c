#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { char key[64], word[64]; } Entry;
typedef struct { int start, size; } Group;

static Entry entries[20000];
static Group groups[20000];

static int by_key_then_word(const void *a, const void *b) {
    const Entry *x = a, *y = b;
    int k = strcmp(x->key, y->key);
    return k ? k : strcmp(x->word, y->word);
}

static int by_size_then_first(const void *a, const void *b) {
    const Group *x = a, *y = b;
    if (x->size != y->size) return y->size - x->size;
    return strcmp(entries[x->start].word, entries[y->start].word);
}

static int by_char(const void *a, const void *b) { return *(const char *)a - *(const char *)b; }

int main(void) {
    int n, count = 0;
    scanf("%d", &n);
    for (int i = 0; i < n; i++) {
        scanf("%63s", entries[i].word);
        strcpy(entries[i].key, entries[i].word);
        qsort(entries[i].key, strlen(entries[i].key), 1, by_char);
    }
    qsort(entries, n, sizeof *entries, by_key_then_word);
    for (int i = 0; i < n; i++) {
        if (i && !strcmp(entries[i].key, entries[i - 1].key)) groups[count - 1].size++;
        else groups[count++] = (Group){i, 1};
    }
    qsort(groups, count, sizeof *groups, by_size_then_first);
    printf("%d\n", count);
    for (int g = 0; g < count; g++) {
        for (int i = 0; i < groups[g].size; i++)
            printf(i ? " %s" : "%s", entries[groups[g].start + i].word);
        putchar('\n');
    }
    return 0;
}
