input = $stdin.read
tokens = input.split
# TODO: 1994 -> "MCMXCIV"
# TODO: "MCMXCIV" -> 1994
