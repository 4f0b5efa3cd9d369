package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
)

var pairs = map[byte]byte{')': '(', ']': '[', '}': '{'}

// firstError is the 1-based position where s stops being balanced, or 0 if it is balanced.
func firstError(s string) int {
	stack := []byte{}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if open, ok := pairs[c]; ok {
			if len(stack) == 0 || stack[len(stack)-1] != open {
				return i + 1
			}
			stack = stack[:len(stack)-1]
		} else {
			stack = append(stack, c)
		}
	}
	if len(stack) > 0 {
		return len(s) + 1
	}
	return 0
}

func main() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	var t int
	fmt.Fscan(in, &t)
	for ; t > 0; t-- {
		var s string
		fmt.Fscan(in, &s)
		if e := firstError(s); e == 0 {
			fmt.Fprintln(out, "YES")
		} else {
			fmt.Fprintln(out, strconv.Itoa(e))
		}
	}
}
