import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    intervals = sorted((int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n))
    merged = []
    for lo, hi in intervals:
        if merged and lo <= merged[-1][1]:
            if hi > merged[-1][1]:
                merged[-1][1] = hi
        else:
            merged.append([lo, hi])
    out = [str(len(merged))]
    out.extend(f"{lo} {hi}" for lo, hi in merged)
    sys.stdout.write("\n".join(out) + "\n")


main()
