"""Output validator for Friend Groups: any order of groups and of people is right.

Kattis interface: validate.py <input> <answer> <feedback dir> < program output;
exit 42 = accepted, 43 = wrong answer, the reason goes to <feedback dir>/judgemessage.txt.
"""

import sys


def reject(message):
    with open(sys.argv[3] + "judgemessage.txt", "w") as feedback:
        feedback.write(message + "\n")
    sys.exit(43)


def groups_of(text):
    data = text.split()
    n, m = int(data[0]), int(data[1])
    parent = list(range(n + 1))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i in range(m):
        a, b = find(int(data[2 + 2 * i])), find(int(data[3 + 2 * i]))
        parent[a] = b
    groups = {}
    for person in range(1, n + 1):
        groups.setdefault(find(person), set()).add(person)
    return n, {frozenset(group) for group in groups.values()}


def main():
    n, expected = groups_of(open(sys.argv[1]).read())
    lines = [line.split() for line in sys.stdin.read().splitlines() if line.strip()]
    if not lines or len(lines[0]) != 1 or not lines[0][0].isdigit():
        reject("the first line must be the number of groups")
    if int(lines[0][0]) != len(expected):
        reject(f"there are {len(expected)} groups, not {lines[0][0]}")
    if len(lines) - 1 != len(expected):
        reject(f"expected {len(expected)} group lines, got {len(lines) - 1}")
    seen = set()
    for number, words in enumerate(lines[1:], start=2):
        if not all(w.isdigit() and 1 <= int(w) <= n for w in words):
            reject(f"line {number}: people are numbers from 1 to {n}")
        group = frozenset(int(w) for w in words)
        if len(group) != len(words) or group & seen:
            reject(f"line {number}: someone is listed twice")
        if group not in expected:
            reject(f"line {number}: these people are not exactly one group of friends")
        seen |= group
    sys.exit(42)


main()
