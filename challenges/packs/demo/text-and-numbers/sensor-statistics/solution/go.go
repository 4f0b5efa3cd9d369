package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"sort"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	var n int
	fmt.Fscan(in, &n)
	values := make([]float64, n)
	for i := range values {
		fmt.Fscan(in, &values[i])
	}
	sort.Float64s(values)
	sum := 0.0
	for _, x := range values {
		sum += x
	}
	mean := sum / float64(n)
	squares := 0.0
	for _, x := range values {
		squares += (x - mean) * (x - mean)
	}
	deviation := math.Sqrt(squares / float64(n))
	median := values[n/2]
	if n%2 == 0 {
		median = (values[n/2-1] + values[n/2]) / 2
	}
	fmt.Printf("%.9f\n%.9f\n%.9f\n", mean, deviation, median)
}
