import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    points = [(int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n)]
    # TODO: add up the lengths of the segments between consecutive points and print it.


main()
