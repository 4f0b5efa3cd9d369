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
	// TODO: 1994 -> "MCMXCIV"
	// TODO: "MCMXCIV" -> 1994
}
