package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

func main() {
	data, _ := io.ReadAll(bufio.NewReader(os.Stdin))
	first, text, _ := strings.Cut(string(data), "\n")
	k, _ := strconv.Atoi(strings.TrimSpace(first))
	counts := map[string]int{}
	for _, word := range regexp.MustCompile(`[A-Za-z]+`).FindAllString(text, -1) {
		counts[strings.ToLower(word)]++
	}
	words := make([]string, 0, len(counts))
	for word := range counts {
		words = append(words, word)
	}
	sort.Slice(words, func(i, j int) bool {
		if counts[words[i]] != counts[words[j]] {
			return counts[words[i]] > counts[words[j]]
		}
		return words[i] < words[j]
	})
	if k < len(words) {
		words = words[:k]
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for _, word := range words {
		fmt.Fprintf(out, "%s %d\n", word, counts[word])
	}
}
