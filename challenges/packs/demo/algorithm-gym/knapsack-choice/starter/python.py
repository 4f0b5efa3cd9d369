import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, capacity = int(data[0]), int(data[1])
    items = [(int(data[2 + 2 * i]), int(data[3 + 2 * i])) for i in range(n)]  # (weight, value)
    # TODO: find the best total value within the capacity (0/1 knapsack), then the
    # lexicographically smallest list of item indices (1-based) that achieves it.
    # Print the value, then the count followed by the indices.


main()
