import sys


def first_error(s):
    """Return the 1-based position where s stops being balanced, or 0 if it is balanced."""
    # TODO: use a stack of the brackets that are still open.
    return 0


def main():
    lines = sys.stdin.read().split()
    t = int(lines[0])
    for s in lines[1 : 1 + t]:
        error = first_error(s)
        # TODO: print YES or the position


main()
