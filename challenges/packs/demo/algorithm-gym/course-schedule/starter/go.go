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
	// TODO: print the smallest valid order of the courses 1..n (each "a b" means a
	// before b), or IMPOSSIBLE if the prerequisites form a cycle.
}
