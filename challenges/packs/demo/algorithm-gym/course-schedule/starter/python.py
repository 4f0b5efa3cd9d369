import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    prerequisites = [(int(data[2 + 2 * i]), int(data[3 + 2 * i])) for i in range(m)]
    # TODO: print the smallest valid order of the courses 1..n (each "a b" means a
    # before b), or IMPOSSIBLE if the prerequisites form a cycle.


main()
