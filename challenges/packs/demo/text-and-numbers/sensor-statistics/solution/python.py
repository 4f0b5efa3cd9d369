import math
import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    values = sorted(float(x) for x in data[1 : 1 + n])
    mean = math.fsum(values) / n
    deviation = math.sqrt(math.fsum((x - mean) ** 2 for x in values) / n)
    middle = n // 2
    median = values[middle] if n % 2 else (values[middle - 1] + values[middle]) / 2
    print(f"{mean:.9f}")
    print(f"{deviation:.9f}")
    print(f"{median:.9f}")


main()
