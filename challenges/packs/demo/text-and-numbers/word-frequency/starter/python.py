import sys


def main():
    first, _, text = sys.stdin.read().partition("\n")
    k = int(first)
    # TODO: split text into words (runs of the letters A-Z / a-z, case-insensitive),
    # count them, and print the k most frequent as "word count", one per line.


main()
