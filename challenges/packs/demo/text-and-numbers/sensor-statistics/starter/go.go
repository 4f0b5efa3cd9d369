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
	// TODO: compute the mean, the population standard deviation and the median,
	// and print each on its own line (for example with f"{value:.9f}").
}
