#include <stdio.h>
#include <stdlib.h>

static int parent[20001], first[20001], next_member[20001], last[20001];

static int find(int a) {
    while (parent[a] != a) a = parent[a] = parent[parent[a]];
    return a;
}

int main(void) {
    int n, m;
    scanf("%d %d", &n, &m);
    for (int i = 0; i <= n; i++) parent[i] = i;
    for (int i = 0; i < m; i++) {
        int a, b;
        scanf("%d %d", &a, &b);
        parent[find(a)] = find(b);
    }
    /* Groups in the order of their smallest member, members increasing (linked lists by root). */
    int groups = 0;
    for (int p = 1; p <= n; p++) {
        int r = find(p);
        if (!first[r]) first[r] = p, groups++;
        else next_member[last[r]] = p;
        last[r] = p;
    }
    printf("%d\n", groups);
    for (int p = 1; p <= n; p++) {
        if (first[find(p)] != p) continue;
        for (int q = p; q; q = next_member[q]) printf(q == p ? "%d" : " %d", q);
        putchar('\n');
    }
    return 0;
}
