package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

func encode(text string) string {
	var b strings.Builder
	for i := 0; i < len(text); {
		j := i
		for j < len(text) && text[j] == text[i] {
			j++
		}
		if j-i > 1 {
			b.WriteString(strconv.Itoa(j - i))
		}
		b.WriteByte(text[i])
		i = j
	}
	return b.String()
}

func decode(code string) string {
	var b strings.Builder
	count := 0
	for i := 0; i < len(code); i++ {
		c := code[i]
		if c >= '0' && c <= '9' {
			count = count*10 + int(c-'0')
			continue
		}
		if count == 0 {
			count = 1
		}
		b.WriteString(strings.Repeat(string(c), count))
		count = 0
	}
	return b.String()
}

func main() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	var t int
	fmt.Fscan(in, &t)
	for ; t > 0; t-- {
		var mode, payload string
		fmt.Fscan(in, &mode, &payload)
		if mode == "E" {
			fmt.Fprintln(out, encode(payload))
		} else {
			fmt.Fprintln(out, decode(payload))
		}
	}
}
