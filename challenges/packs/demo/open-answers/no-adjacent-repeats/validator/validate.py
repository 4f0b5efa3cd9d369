"""Output validator for No Adjacent Repeats: any valid arrangement is right.

Kattis interface: validate.py <input> <answer> <feedback dir> < program output;
exit 42 = accepted, 43 = wrong answer, the reason goes to <feedback dir>/judgemessage.txt.
"""

import sys
from collections import Counter


def reject(message):
    with open(sys.argv[3] + "judgemessage.txt", "w") as feedback:
        feedback.write(message + "\n")
    sys.exit(43)


def main():
    word = open(sys.argv[1]).read().split()[0]
    possible = open(sys.argv[2]).read().split() != ["IMPOSSIBLE"]
    tokens = sys.stdin.read().split()
    if len(tokens) != 1:
        reject(f"expected one word, got {len(tokens)}")
    answer = tokens[0]
    if answer == "IMPOSSIBLE":
        if possible:
            reject("an arrangement exists")
        sys.exit(42)
    if not possible:
        reject("no arrangement exists: print IMPOSSIBLE")
    if Counter(answer) != Counter(word):
        reject("the answer does not use exactly the letters of the word")
    for i in range(1, len(answer)):
        if answer[i] == answer[i - 1]:
            reject(f"letters {i} and {i + 1} are both '{answer[i]}'")
    sys.exit(42)


main()
