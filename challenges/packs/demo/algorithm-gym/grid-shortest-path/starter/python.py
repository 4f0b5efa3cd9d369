import sys


def main():
    lines = sys.stdin.read().split()
    rows, cols = int(lines[0]), int(lines[1])
    grid = lines[2 : 2 + rows]  # grid[r][c] is one of . # S E
    # TODO: breadth-first search from S; print the number of moves to reach E, or -1.


main()
