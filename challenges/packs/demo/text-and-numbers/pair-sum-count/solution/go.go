package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	var n int
	var target int64
	fmt.Fscan(in, &n, &target)
	seen := map[int64]int64{}
	var pairs int64
	for i := 0; i < n; i++ {
		var x int64
		fmt.Fscan(in, &x)
		pairs += seen[target-x]
		seen[x]++
	}
	fmt.Println(pairs)
}
