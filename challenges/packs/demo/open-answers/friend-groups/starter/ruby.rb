input = $stdin.read
tokens = input.split
# TODO: find the groups of people linked by friendships and print them.
