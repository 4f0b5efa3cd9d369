import sys


def edit_distance(a, b):
    # TODO: the minimum number of insertions, deletions and substitutions turning a into b
    return 0


def main():
    a, b = sys.stdin.read().split()[:2]
    print(edit_distance(a, b))


main()
