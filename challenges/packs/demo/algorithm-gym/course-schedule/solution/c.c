#include <stdio.h>
#include <stdlib.h>

static int heap[100001], heap_size;

static void push(int x) {
    int i = heap_size++;
    for (; i > 0 && heap[(i - 1) / 2] > x; i = (i - 1) / 2) heap[i] = heap[(i - 1) / 2];
    heap[i] = x;
}

static int pop(void) {
    int top = heap[0], x = heap[--heap_size], i = 0;
    for (;;) {
        int child = 2 * i + 1;
        if (child >= heap_size) break;
        if (child + 1 < heap_size && heap[child + 1] < heap[child]) child++;
        if (heap[child] >= x) break;
        heap[i] = heap[child];
        i = child;
    }
    heap[i] = x;
    return top;
}

int main(void) {
    int n, m;
    scanf("%d %d", &n, &m);
    int *from = malloc(sizeof(int) * (m + 1)), *to = malloc(sizeof(int) * (m + 1));
    int *start = calloc(n + 2, sizeof(int)), *edges = malloc(sizeof(int) * (m + 1));
    int *waiting = calloc(n + 1, sizeof(int)), *order = malloc(sizeof(int) * (n + 1));
    for (int i = 0; i < m; i++) {
        scanf("%d %d", &from[i], &to[i]);
        start[from[i] + 1]++;
        waiting[to[i]]++;
    }
    for (int c = 1; c <= n + 1; c++) start[c] += start[c - 1];
    int *fill = calloc(n + 1, sizeof(int));
    for (int i = 0; i < m; i++) edges[start[from[i]] + fill[from[i]]++] = to[i];
    /* Kahn's algorithm, always taking the smallest available course. */
    for (int c = 1; c <= n; c++) if (!waiting[c]) push(c);
    int taken = 0;
    while (heap_size) {
        int course = pop();
        order[taken++] = course;
        for (int e = start[course]; e < start[course + 1]; e++)
            if (--waiting[edges[e]] == 0) push(edges[e]);
    }
    if (taken < n) {
        puts("IMPOSSIBLE");
        return 0;
    }
    for (int i = 0; i < n; i++) printf(i ? " %d" : "%d", order[i]);
    putchar('\n');
    return 0;
}
