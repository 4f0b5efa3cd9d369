input = $stdin.read
tokens = input.split
# TODO: sieve the primes up to the largest R once, then answer every query
# "how many primes in [L, R]?" quickly (think prefix counts).
