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
	// TODO: find the groups of people linked by friendships and print them.
}
