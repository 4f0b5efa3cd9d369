input = $stdin.read
tokens = input.split
# TODO: the minimum number of insertions, deletions and substitutions turning a into b
