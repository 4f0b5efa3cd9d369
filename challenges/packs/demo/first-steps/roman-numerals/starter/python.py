import sys


def to_roman(n):
    # TODO: 1994 -> "MCMXCIV"
    return ""


def from_roman(s):
    # TODO: "MCMXCIV" -> 1994
    return 0


def main():
    tokens = sys.stdin.read().split()
    t = int(tokens[0])
    for token in tokens[1 : 1 + t]:
        pass  # TODO: convert each token to the other notation and print it


main()
