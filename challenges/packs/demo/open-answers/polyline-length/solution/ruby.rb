data = $stdin.read.split.map(&:to_i)
n = data[0]
points = (0...n).map { |i| [data[1 + 2 * i], data[2 + 2 * i]] }
total = points.each_cons(2).sum { |(x1, y1), (x2, y2)| Math.hypot(x2 - x1, y2 - y1) }
puts format("%.6f", total)
