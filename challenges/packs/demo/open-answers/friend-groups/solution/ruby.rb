data = $stdin.read.split.map(&:to_i)
n, m = data[0], data[1]
parent = (0..n).to_a
find = lambda do |a|
  while parent[a] != a
    parent[a] = parent[parent[a]]
    a = parent[a]
  end
  a
end
m.times { |i| parent[find.call(data[2 + 2 * i])] = find.call(data[3 + 2 * i]) }
groups = Hash.new { |h, k| h[k] = [] }
(1..n).each { |person| groups[find.call(person)] << person }
puts groups.size
groups.each_value { |g| puts g.join(" ") }
