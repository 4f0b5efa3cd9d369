import sys

VALUES = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
]
SYMBOL = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def to_roman(n):
    parts = []
    for value, letters in VALUES:
        count, n = divmod(n, value)
        parts.append(letters * count)
    return "".join(parts)


def from_roman(s):
    total = 0
    for i, c in enumerate(s):
        value = SYMBOL[c]
        if i + 1 < len(s) and SYMBOL[s[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def main():
    tokens = sys.stdin.read().split()
    t = int(tokens[0])
    out = []
    for token in tokens[1 : 1 + t]:
        out.append(to_roman(int(token)) if token.isdigit() else str(from_roman(token)))
    sys.stdout.write("\n".join(out) + "\n")


main()
