input = $stdin.read
tokens = input.split
# TODO: group the words that are anagrams of each other, sort each group,
# order the groups (largest first, ties by first word) and print them.
