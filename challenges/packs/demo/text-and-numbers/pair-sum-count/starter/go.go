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
	// TODO: count the pairs i < j with values[i] + values[j] == target.
	// n can be 200 000: an O(n^2) double loop is too slow.
}
