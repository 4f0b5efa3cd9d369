import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    values = [int(x) for x in data[1 : 1 + n]]
    # TODO: print the length of the longest strictly increasing subsequence.
    # n can be 100 000: O(n^2) is too slow, look for O(n log n).


main()
