import sys


def main():
    data = sys.stdin.read().split()
    n, k = int(data[0]), int(data[1])
    rules = [(int(data[2 + 2 * i]), data[3 + 2 * i]) for i in range(k)]
    out = []
    for i in range(1, n + 1):
        word = "".join(w for d, w in rules if i % d == 0)
        out.append(word or str(i))
    sys.stdout.write("\n".join(out) + "\n")


main()
