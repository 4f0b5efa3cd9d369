import sys
from collections import Counter


def main():
    word = sys.stdin.read().split()[0]
    n = len(word)
    counts = Counter(word).most_common()
    if counts[0][1] > (n + 1) // 2:
        print("IMPOSSIBLE")
        return
    # The most frequent letter first, filling every other slot, then the odd slots.
    letters = [letter for letter, count in counts for _ in range(count)]
    slots = list(range(0, n, 2)) + list(range(1, n, 2))
    answer = [""] * n
    for slot, letter in zip(slots, letters):
        answer[slot] = letter
    print("".join(answer))


main()
