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
	// TODO: "aaabccdddd" -> "3ab2c4d"
	// TODO: "3ab2c4d" -> "aaabccdddd"
	// TODO: print encode(payload) or decode(payload) depending on mode
}
