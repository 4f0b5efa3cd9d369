import sys


def encode(text):
    # TODO: "aaabccdddd" -> "3ab2c4d"
    return ""


def decode(code):
    # TODO: "3ab2c4d" -> "aaabccdddd"
    return ""


def main():
    lines = sys.stdin.read().split("\n")
    t = int(lines[0])
    for line in lines[1 : 1 + t]:
        mode, payload = line.split()
        # TODO: print encode(payload) or decode(payload) depending on mode


main()
