package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	var n int
	fmt.Fscan(in, &n)
	groups := map[string][]string{}
	for i := 0; i < n; i++ {
		var word string
		fmt.Fscan(in, &word)
		letters := strings.Split(word, "")
		sort.Strings(letters)
		key := strings.Join(letters, "")
		groups[key] = append(groups[key], word)
	}
	ordered := [][]string{}
	for _, words := range groups {
		sort.Strings(words)
		ordered = append(ordered, words)
	}
	sort.Slice(ordered, func(i, j int) bool {
		if len(ordered[i]) != len(ordered[j]) {
			return len(ordered[i]) > len(ordered[j])
		}
		return ordered[i][0] < ordered[j][0]
	})
	fmt.Fprintln(out, len(ordered))
	for _, words := range ordered {
		fmt.Fprintln(out, strings.Join(words, " "))
	}
}
