def edit_distance(a, b)
  a, b = b, a if a.size < b.size
  previous = (0..b.size).to_a
  a.each_char.with_index(1) do |ca, i|
    current = [i]
    left = i
    b.each_char.with_index do |cb, j|
      diagonal = previous[j] + (ca == cb ? 0 : 1)
      up = previous[j + 1] + 1
      left = [diagonal, up, left + 1].min
      current << left
    end
    previous = current
  end
  previous[-1]
end

a, b = $stdin.read.split
puts edit_distance(a, b)
