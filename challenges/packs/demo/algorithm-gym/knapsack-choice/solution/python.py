import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, capacity = int(data[0]), int(data[1])
    items = [(int(data[2 + 2 * i]), int(data[3 + 2 * i])) for i in range(n)]

    # best[i][c] = the best value using items i..n-1 within capacity c.
    best = [None] * (n + 1)
    best[n] = [0] * (capacity + 1)
    for i in range(n - 1, -1, -1):
        weight, value = items[i]
        after = best[i + 1]
        if weight > capacity:
            best[i] = after
            continue
        taken = [x + value for x in after[: capacity + 1 - weight]]
        best[i] = after[:weight] + list(map(max, after[weight:], taken))

    # Going forward, take every item that an optimal choice can take: with positive values
    # this gives the lexicographically smallest list of indices.
    chosen = []
    c = capacity
    for i, (weight, value) in enumerate(items):
        if weight <= c and best[i + 1][c - weight] + value == best[i][c]:
            chosen.append(i + 1)
            c -= weight
    print(best[0][capacity])
    print(" ".join(map(str, [len(chosen)] + chosen)))


main()
