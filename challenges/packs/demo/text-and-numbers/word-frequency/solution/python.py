import re
import sys
from collections import Counter

WORD = re.compile(r"[A-Za-z]+")


def main():
    first, _, text = sys.stdin.read().partition("\n")
    k = int(first)
    counts = Counter(word.lower() for word in WORD.findall(text))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:k]
    sys.stdout.write("".join(f"{word} {count}\n" for word, count in ranked))


main()
