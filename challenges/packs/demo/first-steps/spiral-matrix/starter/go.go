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
	// TODO: walk the grid clockwise from the top-left corner, layer by layer,
	// and print the values on one line separated by spaces.
}
