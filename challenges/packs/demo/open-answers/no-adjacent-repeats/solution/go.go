package main

import (
	"fmt"
	"sort"
)

func main() {
	var word string
	fmt.Scan(&word)
	n := len(word)
	counts := map[byte]int{}
	for i := 0; i < n; i++ {
		counts[word[i]]++
	}
	letters := []byte{}
	for c := range counts {
		letters = append(letters, c)
	}
	sort.Slice(letters, func(i, j int) bool {
		if counts[letters[i]] != counts[letters[j]] {
			return counts[letters[i]] > counts[letters[j]]
		}
		return letters[i] < letters[j]
	})
	if counts[letters[0]] > (n+1)/2 {
		fmt.Println("IMPOSSIBLE")
		return
	}
	// The most frequent letter first, filling every other slot, then the odd slots.
	slots := []int{}
	for i := 0; i < n; i += 2 {
		slots = append(slots, i)
	}
	for i := 1; i < n; i += 2 {
		slots = append(slots, i)
	}
	answer := make([]byte, n)
	k := 0
	for _, c := range letters {
		for j := 0; j < counts[c]; j++ {
			answer[slots[k]] = c
			k++
		}
	}
	fmt.Println(string(answer))
}
