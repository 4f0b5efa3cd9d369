data = $stdin.read.split
n = data[0].to_i
k = data[1].to_i
rules = (0...k).map { |i| [data[2 + 2 * i].to_i, data[3 + 2 * i]] }
out = (1..n).map do |i|
  word = rules.select { |d, _| (i % d).zero? }.map { |_, w| w }.join
  word.empty? ? i.to_s : word
end
puts out
