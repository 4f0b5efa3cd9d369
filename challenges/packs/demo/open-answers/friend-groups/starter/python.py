import sys


def main():
    data = sys.stdin.read().split()
    n, m = int(data[0]), int(data[1])
    pairs = [(int(data[2 + 2 * i]), int(data[3 + 2 * i])) for i in range(m)]
    # TODO: find the groups of people linked by friendships and print them.


main()
