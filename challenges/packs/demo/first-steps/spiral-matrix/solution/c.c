#include <stdio.h>

static long grid[300][300];

int main(void) {
    int rows, cols;
    scanf("%d %d", &rows, &cols);
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) scanf("%ld", &grid[r][c]);
    int top = 0, bottom = rows - 1, left = 0, right = cols - 1, first = 1;
#define OUT(v) (printf(first ? "%ld" : " %ld", (v)), first = 0)
    while (top <= bottom && left <= right) {
        for (int c = left; c <= right; c++) OUT(grid[top][c]);
        for (int r = top + 1; r <= bottom; r++) OUT(grid[r][right]);
        if (top < bottom && left < right) {
            for (int c = right - 1; c >= left; c--) OUT(grid[bottom][c]);
            for (int r = bottom - 1; r > top; r--) OUT(grid[r][left]);
        }
        top++, bottom--, left++, right--;
    }
    putchar('\n');
    return 0;
}
