input = $stdin.read
tokens = input.split
# TODO: print the length of the longest strictly increasing subsequence.
# n can be 100 000: O(n^2) is too slow, look for O(n log n).
