import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    values = [float(x) for x in data[1 : 1 + n]]
    # TODO: compute the mean, the population standard deviation and the median,
    # and print each on its own line (for example with f"{value:.9f}").


main()
