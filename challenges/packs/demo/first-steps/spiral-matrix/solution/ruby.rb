def spiral(grid, rows, cols)
  top, bottom, left, right = 0, rows - 1, 0, cols - 1
  order = []
  while top <= bottom && left <= right
    order.concat(grid[top][left..right])
    (top + 1..bottom).each { |r| order << grid[r][right] }
    if top < bottom && left < right
      order.concat(grid[bottom][left...right].reverse)
      (bottom - 1).downto(top + 1) { |r| order << grid[r][left] }
    end
    top += 1
    bottom -= 1
    left += 1
    right -= 1
  end
  order
end

data = $stdin.read.split
rows = data[0].to_i
cols = data[1].to_i
grid = (0...rows).map { |r| data[2 + r * cols, cols] }
puts spiral(grid, rows, cols).join(" ")
