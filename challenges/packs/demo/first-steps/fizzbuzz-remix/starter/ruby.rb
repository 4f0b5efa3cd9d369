input = $stdin.read
tokens = input.split
# TODO: for every i from 1 to n, print the words of the rules whose divisor
# divides i (in input order), or i itself when no rule matches.
