import sys


def edit_distance(a, b):
    if len(a) < len(b):
        a, b = b, a
    # previous[j] = distance between the prefix of a seen so far (minus one) and b[:j]
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        left = i
        for j, cb in enumerate(b):
            diagonal = previous[j] + (ca != cb)
            up = previous[j + 1] + 1
            left = min(diagonal, up, left + 1)
            current.append(left)
        previous = current
    return previous[-1]


def main():
    a, b = sys.stdin.read().split()[:2]
    print(edit_distance(a, b))


main()
