input = $stdin.read
tokens = input.split
# TODO: add up the lengths of the segments between consecutive points and print it.
