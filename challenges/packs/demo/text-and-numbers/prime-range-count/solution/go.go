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
	var q int
	fmt.Fscan(in, &q)
	lo := make([]int, q)
	hi := make([]int, q)
	limit := 1
	for i := 0; i < q; i++ {
		fmt.Fscan(in, &lo[i], &hi[i])
		if hi[i] > limit {
			limit = hi[i]
		}
	}
	// The sieve of Eratosthenes, then primes[x] = number of primes <= x.
	composite := make([]bool, limit+1)
	composite[0], composite[1] = true, true
	for p := 2; p*p <= limit; p++ {
		if !composite[p] {
			for m := p * p; m <= limit; m += p {
				composite[m] = true
			}
		}
	}
	primes := make([]int32, limit+1)
	var count int32
	for x := 0; x <= limit; x++ {
		if !composite[x] {
			count++
		}
		primes[x] = count
	}
	for i := 0; i < q; i++ {
		below := int32(0)
		if lo[i] > 0 {
			below = primes[lo[i]-1]
		}
		fmt.Fprintln(out, primes[hi[i]]-below)
	}
}
