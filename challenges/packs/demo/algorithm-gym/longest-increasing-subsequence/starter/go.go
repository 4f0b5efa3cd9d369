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
	// TODO: print the length of the longest strictly increasing subsequence.
	// n can be 100 000: O(n^2) is too slow, look for O(n log n).
}
