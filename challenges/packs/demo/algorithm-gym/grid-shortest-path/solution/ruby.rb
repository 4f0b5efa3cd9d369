lines = $stdin.read.split
rows = lines[0].to_i
cols = lines[1].to_i
grid = lines[2, rows].join # cell (r, c) is grid[r * cols + c]
start = grid.index("S")
goal = grid.index("E")
distance = Array.new(rows * cols, -1)
distance[start] = 0
queue = [start]
head = 0
while head < queue.size
  cell = queue[head]
  head += 1
  break if cell == goal
  r, c = cell.divmod(cols)
  [[cell - cols, r.positive?], [cell + cols, r + 1 < rows], [cell - 1, c.positive?], [cell + 1, c + 1 < cols]].each do |nxt, ok|
    next unless ok && distance[nxt].negative? && grid[nxt] != "#"
    distance[nxt] = distance[cell] + 1
    queue << nxt
  end
end
puts distance[goal]
