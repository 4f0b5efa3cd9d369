import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, target = int(data[0]), int(data[1])
    values = [int(x) for x in data[2 : 2 + n]]
    # TODO: count the pairs i < j with values[i] + values[j] == target.
    # n can be 200 000: an O(n^2) double loop is too slow.


main()
