import sys


def main():
    data = sys.stdin.read().split()
    n, m = int(data[0]), int(data[1])
    parent = list(range(n + 1))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i in range(m):
        parent[find(int(data[2 + 2 * i]))] = find(int(data[3 + 2 * i]))
    groups = {}
    for person in range(1, n + 1):
        groups.setdefault(find(person), []).append(person)
    out = [str(len(groups))] + [" ".join(map(str, g)) for g in groups.values()]
    print("\n".join(out))


main()
