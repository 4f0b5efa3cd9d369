word = $stdin.read.split[0]
n = word.size
counts = word.chars.tally.sort_by { |_, count| -count }
if counts[0][1] > (n + 1) / 2
  puts "IMPOSSIBLE"
else
  # The most frequent letter first, filling every other slot, then the odd slots.
  letters = counts.flat_map { |letter, count| [letter] * count }
  slots = (0...n).step(2).to_a + (1...n).step(2).to_a
  answer = Array.new(n, "")
  slots.zip(letters).each { |slot, letter| answer[slot] = letter }
  puts answer.join
end
