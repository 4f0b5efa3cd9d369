data = $stdin.read.split
n = data[0].to_i
target = data[1].to_i
seen = Hash.new(0)
pairs = 0
data[2, n].each do |token|
  x = token.to_i
  pairs += seen[target - x]
  seen[x] += 1
end
puts pairs
