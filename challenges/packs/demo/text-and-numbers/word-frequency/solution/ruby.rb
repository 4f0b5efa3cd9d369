first, text = $stdin.read.split("\n", 2)
k = first.to_i
counts = Hash.new(0)
(text || "").scan(/[A-Za-z]+/) { |word| counts[word.downcase] += 1 }
ranked = counts.sort_by { |word, count| [-count, word] }.first(k)
ranked.each { |word, count| puts "#{word} #{count}" }
