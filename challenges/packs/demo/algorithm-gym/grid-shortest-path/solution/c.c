#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char grid[400 * 400 + 1];
static int distance[400 * 400], queue[400 * 400];

int main(void) {
    int rows, cols;
    scanf("%d %d", &rows, &cols);
    for (int r = 0; r < rows; r++) scanf("%400s", grid + r * cols); /* cell (r, c) is grid[r*cols+c] */
    int start = (int)(strchr(grid, 'S') - grid), goal = (int)(strchr(grid, 'E') - grid);
    for (int i = 0; i < rows * cols; i++) distance[i] = -1;
    distance[start] = 0;
    int head = 0, tail = 0;
    queue[tail++] = start;
    while (head < tail) {
        int cell = queue[head++];
        if (cell == goal) break;
        int r = cell / cols, c = cell % cols;
        int next[4] = {cell - cols, cell + cols, cell - 1, cell + 1};
        int ok[4] = {r > 0, r + 1 < rows, c > 0, c + 1 < cols};
        for (int k = 0; k < 4; k++)
            if (ok[k] && distance[next[k]] < 0 && grid[next[k]] != '#') {
                distance[next[k]] = distance[cell] + 1;
                queue[tail++] = next[k];
            }
    }
    printf("%d\n", distance[goal]);
    return 0;
}
