input = $stdin.read
tokens = input.split
# TODO: rearrange the letters so no two neighbours are equal, or print IMPOSSIBLE.
