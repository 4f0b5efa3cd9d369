input = $stdin.read
tokens = input.split
# TODO: split text into words (runs of the letters A-Z / a-z, case-insensitive),
# count them, and print the k most frequent as "word count", one per line.
