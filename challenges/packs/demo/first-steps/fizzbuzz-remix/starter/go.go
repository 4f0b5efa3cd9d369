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
	// TODO: for every i from 1 to n, print the words of the rules whose divisor
	// divides i (in input order), or i itself when no rule matches.
}
