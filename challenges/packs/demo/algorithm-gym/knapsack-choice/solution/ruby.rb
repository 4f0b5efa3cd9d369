data = $stdin.read.split.map(&:to_i)
n, capacity = data[0], data[1]
items = (0...n).map { |i| [data[2 + 2 * i], data[3 + 2 * i]] }
# best[i][c] = the best value using items i..n-1 within capacity c.
best = Array.new(n + 1)
best[n] = Array.new(capacity + 1, 0)
(n - 1).downto(0) do |i|
  weight, value = items[i]
  after = best[i + 1]
  row = after.dup
  (weight..capacity).each do |c|
    taken = after[c - weight] + value
    row[c] = taken if taken > row[c]
  end
  best[i] = row
end
# Going forward, take every item that an optimal choice can take: with positive values this
# gives the lexicographically smallest list of indices.
chosen = []
c = capacity
items.each_with_index do |(weight, value), i|
  if weight <= c && best[i + 1][c - weight] + value == best[i][c]
    chosen << i + 1
    c -= weight
  end
end
puts best[0][capacity]
puts [chosen.size, *chosen].join(" ")
