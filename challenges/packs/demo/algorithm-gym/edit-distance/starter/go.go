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
	// TODO: the minimum number of insertions, deletions and substitutions turning a into b
}
