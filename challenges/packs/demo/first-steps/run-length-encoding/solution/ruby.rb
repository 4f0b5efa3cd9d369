def encode(text)
  text.chars.chunk_while { |a, b| a == b }.map { |run| (run.size > 1 ? run.size.to_s : "") + run[0] }.join
end

def decode(code)
  code.scan(/(\d*)([a-z])/).map { |count, letter| letter * (count.empty? ? 1 : count.to_i) }.join
end

lines = $stdin.read.split("\n")
t = lines[0].to_i
out = lines[1, t].map do |line|
  mode, payload = line.split
  mode == "E" ? encode(payload) : decode(payload)
end
puts out
