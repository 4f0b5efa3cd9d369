data = $stdin.read.split
n = data[0].to_i
groups = Hash.new { |h, key| h[key] = [] }
data[1, n].each { |word| groups[word.chars.sort.join] << word }
ordered = groups.values.map(&:sort).sort_by { |words| [-words.size, words[0]] }
puts ordered.size
ordered.each { |words| puts words.join(" ") }
