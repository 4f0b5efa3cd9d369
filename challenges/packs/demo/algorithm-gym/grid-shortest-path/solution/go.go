package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	var rows, cols int
	fmt.Fscan(in, &rows, &cols)
	lines := make([]string, rows)
	for r := range lines {
		fmt.Fscan(in, &lines[r])
	}
	grid := strings.Join(lines, "") // cell (r, c) is grid[r*cols+c]
	start, goal := strings.IndexByte(grid, 'S'), strings.IndexByte(grid, 'E')
	distance := make([]int, rows*cols)
	for i := range distance {
		distance[i] = -1
	}
	distance[start] = 0
	queue := []int{start}
	for head := 0; head < len(queue); head++ {
		cell := queue[head]
		if cell == goal {
			break
		}
		r, c := cell/cols, cell%cols
		steps := [][2]int{{cell - cols, b(r > 0)}, {cell + cols, b(r+1 < rows)}, {cell - 1, b(c > 0)}, {cell + 1, b(c+1 < cols)}}
		for _, s := range steps {
			next := s[0]
			if s[1] == 1 && distance[next] < 0 && grid[next] != '#' {
				distance[next] = distance[cell] + 1
				queue = append(queue, next)
			}
		}
	}
	fmt.Println(distance[goal])
}

func b(ok bool) int {
	if ok {
		return 1
	}
	return 0
}
