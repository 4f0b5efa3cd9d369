package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	var n int
	fmt.Fscan(in, &n)
	// tails[k] = smallest possible last value of a strictly increasing subsequence of length k+1
	tails := []int64{}
	for i := 0; i < n; i++ {
		var x int64
		fmt.Fscan(in, &x)
		k := sort.Search(len(tails), func(j int) bool { return tails[j] >= x })
		if k == len(tails) {
			tails = append(tails, x)
		} else {
			tails[k] = x
		}
	}
	fmt.Println(len(tails))
}
