package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	var n, m int
	fmt.Fscan(in, &n, &m)
	parent := make([]int, n+1)
	for i := range parent {
		parent[i] = i
	}
	find := func(a int) int {
		for parent[a] != a {
			parent[a] = parent[parent[a]]
			a = parent[a]
		}
		return a
	}
	for i := 0; i < m; i++ {
		var a, b int
		fmt.Fscan(in, &a, &b)
		parent[find(a)] = find(b)
	}
	index := map[int]int{}
	groups := [][]string{}
	for person := 1; person <= n; person++ {
		root := find(person)
		if _, ok := index[root]; !ok {
			index[root] = len(groups)
			groups = append(groups, nil)
		}
		groups[index[root]] = append(groups[index[root]], strconv.Itoa(person))
	}
	fmt.Fprintln(out, len(groups))
	for _, g := range groups {
		fmt.Fprintln(out, strings.Join(g, " "))
	}
}
