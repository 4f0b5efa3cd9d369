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
	// TODO: group the words that are anagrams of each other, sort each group,
	// order the groups (largest first, ties by first word) and print them.
}
