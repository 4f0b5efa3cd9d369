input = $stdin.read
tokens = input.split
# TODO: merge the intervals that overlap or touch, then print how many are left
# and each of them, from left to right.
