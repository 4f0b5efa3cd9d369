package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	var n, capacity int
	fmt.Fscan(in, &n, &capacity)
	weight := make([]int, n)
	value := make([]int64, n)
	for i := 0; i < n; i++ {
		fmt.Fscan(in, &weight[i], &value[i])
	}
	// best[i][c] = the best value using items i..n-1 within capacity c.
	best := make([][]int64, n+1)
	best[n] = make([]int64, capacity+1)
	for i := n - 1; i >= 0; i-- {
		row := append([]int64(nil), best[i+1]...)
		for c := weight[i]; c <= capacity; c++ {
			if taken := best[i+1][c-weight[i]] + value[i]; taken > row[c] {
				row[c] = taken
			}
		}
		best[i] = row
	}
	// Going forward, take every item an optimal choice can take: the smallest list of indices.
	chosen := []string{}
	c := capacity
	for i := 0; i < n; i++ {
		if weight[i] <= c && best[i+1][c-weight[i]]+value[i] == best[i][c] {
			chosen = append(chosen, strconv.Itoa(i+1))
			c -= weight[i]
		}
	}
	fmt.Println(best[0][capacity])
	fmt.Println(strings.TrimSpace(strconv.Itoa(len(chosen)) + " " + strings.Join(chosen, " ")))
}
