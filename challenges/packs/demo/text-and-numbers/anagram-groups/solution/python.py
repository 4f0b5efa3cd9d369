import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    groups = {}
    for word in data[1 : 1 + n]:
        groups.setdefault("".join(sorted(word)), []).append(word)
    ordered = [sorted(words) for words in groups.values()]
    ordered.sort(key=lambda words: (-len(words), words[0]))
    out = [str(len(ordered))]
    out.extend(" ".join(words) for words in ordered)
    sys.stdout.write("\n".join(out) + "\n")


main()
