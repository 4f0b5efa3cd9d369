data = $stdin.read.split.map(&:to_i)
n = data[0]
# tails[k] = smallest possible last value of a strictly increasing subsequence of length k+1
tails = []
data[1, n].each do |x|
  k = tails.bsearch_index { |t| t >= x } || tails.size
  tails[k] = x
end
puts tails.size
