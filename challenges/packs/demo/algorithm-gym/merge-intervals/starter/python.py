import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    intervals = [(int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n)]
    # TODO: merge the intervals that overlap or touch, then print how many are left
    # and each of them, from left to right.


main()
