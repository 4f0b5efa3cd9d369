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
	// TODO: split text into words (runs of the letters A-Z / a-z, case-insensitive),
	// count them, and print the k most frequent as "word count", one per line.
}
