import sys


def main():
    data = sys.stdin.buffer.read().split()
    q = int(data[0])
    queries = [(int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(q)]
    # TODO: sieve the primes up to the largest R once, then answer every query
    # "how many primes in [L, R]?" quickly (think prefix counts).


main()
