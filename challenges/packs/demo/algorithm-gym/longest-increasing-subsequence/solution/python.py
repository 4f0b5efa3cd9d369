import sys
from bisect import bisect_left


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    # tails[k] = smallest possible last value of a strictly increasing subsequence of length k+1
    tails = []
    for token in data[1 : 1 + n]:
        x = int(token)
        k = bisect_left(tails, x)
        if k == len(tails):
            tails.append(x)
        else:
            tails[k] = x
    print(len(tails))


main()
