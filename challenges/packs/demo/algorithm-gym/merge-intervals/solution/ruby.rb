data = $stdin.read.split.map(&:to_i)
n = data[0]
intervals = (0...n).map { |i| [data[1 + 2 * i], data[2 + 2 * i]] }.sort
merged = []
intervals.each do |lo, hi|
  if !merged.empty? && lo <= merged[-1][1]
    merged[-1][1] = hi if hi > merged[-1][1]
  else
    merged << [lo, hi]
  end
end
puts merged.size
merged.each { |lo, hi| puts "#{lo} #{hi}" }
