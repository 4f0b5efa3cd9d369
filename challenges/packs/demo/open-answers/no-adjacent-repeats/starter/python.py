import sys


def main():
    word = sys.stdin.read().split()[0]
    # TODO: rearrange the letters so no two neighbours are equal, or print IMPOSSIBLE.


main()
