package main

import (
	"bufio"
	"io"
	"os"
	"strings"
)

func main() {
	data, _ := io.ReadAll(bufio.NewReader(os.Stdin))
	tokens := strings.Fields(string(data))
	_ = tokens
	// TODO: sieve the primes up to the largest R once, then answer every query
	// "how many primes in [L, R]?" quickly (think prefix counts).
}
