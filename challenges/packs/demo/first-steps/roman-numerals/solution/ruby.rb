VALUES = [
  [1000, "M"], [900, "CM"], [500, "D"], [400, "CD"], [100, "C"], [90, "XC"],
  [50, "L"], [40, "XL"], [10, "X"], [9, "IX"], [5, "V"], [4, "IV"], [1, "I"]
].freeze
SYMBOL = { "I" => 1, "V" => 5, "X" => 10, "L" => 50, "C" => 100, "D" => 500, "M" => 1000 }.freeze

def to_roman(n)
  VALUES.map do |value, letters|
    count, n = n.divmod(value)
    letters * count
  end.join
end

def from_roman(s)
  total = 0
  s.each_char.with_index do |c, i|
    value = SYMBOL[c]
    if i + 1 < s.length && SYMBOL[s[i + 1]] > value
      total -= value
    else
      total += value
    end
  end
  total
end

tokens = $stdin.read.split
t = tokens[0].to_i
puts(tokens[1, t].map { |tok| tok.match?(/\A\d+\z/) ? to_roman(tok.to_i) : from_roman(tok).to_s })
