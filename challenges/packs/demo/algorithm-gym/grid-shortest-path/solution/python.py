import sys
from collections import deque


def main():
    lines = sys.stdin.read().split()
    rows, cols = int(lines[0]), int(lines[1])
    grid = "".join(lines[2 : 2 + rows])  # cell (r, c) is grid[r * cols + c]
    start, goal = grid.index("S"), grid.index("E")
    distance = [-1] * (rows * cols)
    distance[start] = 0
    queue = deque([start])
    while queue:
        cell = queue.popleft()
        if cell == goal:
            break
        r, c = divmod(cell, cols)
        for nxt, ok in (
            (cell - cols, r > 0),
            (cell + cols, r + 1 < rows),
            (cell - 1, c > 0),
            (cell + 1, c + 1 < cols),
        ):
            if ok and distance[nxt] < 0 and grid[nxt] != "#":
                distance[nxt] = distance[cell] + 1
                queue.append(nxt)
    print(distance[goal])


main()
