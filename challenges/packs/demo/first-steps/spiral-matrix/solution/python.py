import sys


def spiral(grid, rows, cols):
    top, bottom, left, right = 0, rows - 1, 0, cols - 1
    order = []
    while top <= bottom and left <= right:
        order.extend(grid[top][left : right + 1])
        for r in range(top + 1, bottom + 1):
            order.append(grid[r][right])
        if top < bottom and left < right:
            order.extend(reversed(grid[bottom][left:right]))
            for r in range(bottom - 1, top, -1):
                order.append(grid[r][left])
        top, bottom, left, right = top + 1, bottom - 1, left + 1, right - 1
    return order


def main():
    data = sys.stdin.read().split()
    rows, cols = int(data[0]), int(data[1])
    grid = [data[2 + r * cols : 2 + (r + 1) * cols] for r in range(rows)]
    sys.stdout.write(" ".join(spiral(grid, rows, cols)) + "\n")


main()
