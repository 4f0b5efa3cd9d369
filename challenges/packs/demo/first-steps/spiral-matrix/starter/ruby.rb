input = $stdin.read
tokens = input.split
# TODO: walk the grid clockwise from the top-left corner, layer by layer,
# and print the values on one line separated by spaces.
