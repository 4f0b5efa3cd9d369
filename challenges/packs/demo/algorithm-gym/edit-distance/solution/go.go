package main

import "fmt"

func main() {
	var a, b string
	fmt.Scan(&a, &b)
	if len(a) < len(b) {
		a, b = b, a
	}
	previous := make([]int, len(b)+1)
	for j := range previous {
		previous[j] = j
	}
	for i := 1; i <= len(a); i++ {
		current := make([]int, len(b)+1)
		current[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			best := previous[j-1] + cost
			if previous[j]+1 < best {
				best = previous[j] + 1
			}
			if current[j-1]+1 < best {
				best = current[j-1] + 1
			}
			current[j] = best
		}
		previous = current
	}
	fmt.Println(previous[len(b)])
}
