input = $stdin.read
tokens = input.split
# TODO: use a stack of the brackets that are still open.
# TODO: print YES or the position
