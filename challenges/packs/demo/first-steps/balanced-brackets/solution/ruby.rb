PAIRS = { ")" => "(", "]" => "[", "}" => "{" }.freeze

# 1-based position where s stops being balanced, or 0 if it is balanced.
def first_error(s)
  stack = []
  s.each_char.with_index(1) do |c, i|
    if PAIRS.key?(c)
      return i if stack.empty? || stack.pop != PAIRS[c]
    else
      stack.push(c)
    end
  end
  stack.empty? ? 0 : s.length + 1
end

tokens = $stdin.read.split
t = tokens[0].to_i
out = tokens[1, t].map do |s|
  error = first_error(s)
  error.zero? ? "YES" : error.to_s
end
puts out
