import sys


def main():
    data = sys.stdin.read().split()
    rows, cols = int(data[0]), int(data[1])
    grid = [[int(x) for x in data[2 + r * cols : 2 + (r + 1) * cols]] for r in range(rows)]
    # TODO: walk the grid clockwise from the top-left corner, layer by layer,
    # and print the values on one line separated by spaces.


main()
