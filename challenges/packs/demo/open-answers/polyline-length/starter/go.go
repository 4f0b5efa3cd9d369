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
	// TODO: add up the lengths of the segments between consecutive points and print it.
}
