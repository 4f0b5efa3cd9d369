import sys


def main():
    data = sys.stdin.read().split()
    n, k = int(data[0]), int(data[1])
    rules = [(int(data[2 + 2 * i]), data[3 + 2 * i]) for i in range(k)]
    # TODO: for every i from 1 to n, print the words of the rules whose divisor
    # divides i (in input order), or i itself when no rule matches.


main()
