import re
import sys

RUN = re.compile(r"(\d*)([a-z])")


def encode(text):
    parts = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and text[j] == text[i]:
            j += 1
        parts.append((str(j - i) if j - i > 1 else "") + text[i])
        i = j
    return "".join(parts)


def decode(code):
    return "".join(letter * int(count or 1) for count, letter in RUN.findall(code))


def main():
    lines = sys.stdin.read().split("\n")
    t = int(lines[0])
    out = []
    for line in lines[1 : 1 + t]:
        mode, payload = line.split()
        out.append(encode(payload) if mode == "E" else decode(payload))
    sys.stdout.write("\n".join(out) + "\n")


main()
