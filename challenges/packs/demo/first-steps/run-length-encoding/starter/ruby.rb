input = $stdin.read
tokens = input.split
# TODO: "aaabccdddd" -> "3ab2c4d"
# TODO: "3ab2c4d" -> "aaabccdddd"
# TODO: print encode(payload) or decode(payload) depending on mode
