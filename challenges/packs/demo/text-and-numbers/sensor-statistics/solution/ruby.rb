data = $stdin.read.split
n = data[0].to_i
values = data[1, n].map(&:to_f).sort
mean = values.sum / n
deviation = Math.sqrt(values.sum { |x| (x - mean)**2 } / n)
middle = n / 2
median = n.odd? ? values[middle] : (values[middle - 1] + values[middle]) / 2
[mean, deviation, median].each { |x| puts format("%.9f", x) }
