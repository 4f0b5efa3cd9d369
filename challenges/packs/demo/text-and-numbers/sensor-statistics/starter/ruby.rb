input = $stdin.read
tokens = input.split
# TODO: compute the mean, the population standard deviation and the median,
# and print each on its own line (for example with f"{value:.9f}").
