package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	var n, k int
	fmt.Fscan(in, &n, &k)
	divisors := make([]int, k)
	words := make([]string, k)
	for i := range divisors {
		fmt.Fscan(in, &divisors[i], &words[i])
	}
	for i := 1; i <= n; i++ {
		word := ""
		for r, d := range divisors {
			if i%d == 0 {
				word += words[r]
			}
		}
		if word == "" {
			fmt.Fprintln(out, i)
		} else {
			fmt.Fprintln(out, word)
		}
	}
}
