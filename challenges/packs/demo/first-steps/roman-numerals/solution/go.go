package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

var values = []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
var letters = []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
var symbol = map[byte]int{'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100, 'D': 500, 'M': 1000}

func toRoman(n int) string {
	var b strings.Builder
	for i, v := range values {
		for n >= v {
			b.WriteString(letters[i])
			n -= v
		}
	}
	return b.String()
}

func fromRoman(s string) int {
	total := 0
	for i := 0; i < len(s); i++ {
		v := symbol[s[i]]
		if i+1 < len(s) && symbol[s[i+1]] > v {
			total -= v
		} else {
			total += v
		}
	}
	return total
}

func main() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	var t int
	fmt.Fscan(in, &t)
	for ; t > 0; t-- {
		var token string
		fmt.Fscan(in, &token)
		if n, err := strconv.Atoi(token); err == nil {
			fmt.Fprintln(out, toRoman(n))
		} else {
			fmt.Fprintln(out, fromRoman(token))
		}
	}
}
