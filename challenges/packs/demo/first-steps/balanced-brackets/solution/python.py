import sys

PAIRS = {")": "(", "]": "[", "}": "{"}


def first_error(s):
    """1-based position where s stops being balanced, or 0 if it is balanced."""
    stack = []
    for i, c in enumerate(s, 1):
        if c in PAIRS:
            if not stack or stack.pop() != PAIRS[c]:
                return i
        else:
            stack.append(c)
    return len(s) + 1 if stack else 0


def main():
    lines = sys.stdin.read().split()
    t = int(lines[0])
    out = []
    for s in lines[1 : 1 + t]:
        error = first_error(s)
        out.append("YES" if error == 0 else str(error))
    sys.stdout.write("\n".join(out) + "\n")


main()
