input = $stdin.read
tokens = input.split
# TODO: breadth-first search from S; print the number of moves to reach E, or -1.
