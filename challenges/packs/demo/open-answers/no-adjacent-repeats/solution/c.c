#include <stdio.h>
#include <string.h>

static char word[1 << 20], answer[1 << 20];

int main(void) {
    if (scanf("%1048575s", word) != 1) return 0;
    int n = (int)strlen(word), counts[128] = {0}, order[128], letters = 0;
    for (int i = 0; i < n; i++) counts[(unsigned char)word[i]]++;
    for (int c = 0; c < 128; c++) if (counts[c]) order[letters++] = c;
    /* Most frequent first (ties by letter). */
    for (int i = 1; i < letters; i++)
        for (int j = i; j > 0 && counts[order[j]] > counts[order[j - 1]]; j--) {
            int t = order[j]; order[j] = order[j - 1]; order[j - 1] = t;
        }
    if (counts[order[0]] > (n + 1) / 2) {
        puts("IMPOSSIBLE");
        return 0;
    }
    /* The most frequent letter first, filling every other slot, then the odd slots. */
    int slot = 0;
    for (int i = 0; i < letters; i++)
        for (int k = 0; k < counts[order[i]]; k++) {
            answer[slot] = (char)order[i];
            slot += 2;
            if (slot >= n) slot = 1;
        }
    answer[n] = 0;
    puts(answer);
    return 0;
}
