package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	var n int
	fmt.Fscan(in, &n)
	xs := make([]float64, n)
	ys := make([]float64, n)
	for i := 0; i < n; i++ {
		fmt.Fscan(in, &xs[i], &ys[i])
	}
	total := 0.0
	for i := 0; i+1 < n; i++ {
		total += math.Hypot(xs[i+1]-xs[i], ys[i+1]-ys[i])
	}
	fmt.Printf("%.6f\n", total)
}
