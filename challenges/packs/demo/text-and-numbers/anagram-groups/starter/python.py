import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    words = data[1 : 1 + n]
    # TODO: group the words that are anagrams of each other, sort each group,
    # order the groups (largest first, ties by first word) and print them.


main()
