input = $stdin.read
tokens = input.split
# TODO: count the pairs i < j with values[i] + values[j] == target.
# n can be 200 000: an O(n^2) double loop is too slow.
