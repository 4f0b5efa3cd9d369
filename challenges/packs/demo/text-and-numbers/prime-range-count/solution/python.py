import sys

BLOCK = 4096


def sieve(limit):
    """bytearray with 1 at the primes up to limit (the sieve of Eratosthenes)."""
    is_prime = bytearray([1]) * (limit + 1)
    is_prime[0:2] = b"\x00\x00"[: limit + 1]
    for p in range(2, int(limit**0.5) + 1):
        if is_prime[p]:
            is_prime[p * p :: p] = bytes(len(range(p * p, limit + 1, p)))
    return is_prime


def main():
    data = sys.stdin.buffer.read().split()
    q = int(data[0])
    queries = [(int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(q)]
    limit = max(r for _, r in queries)
    is_prime = sieve(limit)

    # before[b] = number of primes below b * BLOCK; counting inside one block is a C-speed
    # bytearray.count, so a prefix query never touches more than one block.
    before = [0]
    for start in range(0, limit + 1, BLOCK):
        before.append(before[-1] + is_prime.count(1, start, start + BLOCK))

    def primes_up_to(x):
        block = x // BLOCK
        return before[block] + is_prime.count(1, block * BLOCK, x + 1)

    out = [str(primes_up_to(r) - primes_up_to(lo - 1)) for lo, r in queries]
    sys.stdout.write("\n".join(out) + "\n")


main()
