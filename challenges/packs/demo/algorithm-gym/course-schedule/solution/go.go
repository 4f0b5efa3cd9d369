package main

import (
	"bufio"
	"container/heap"
	"fmt"
	"os"
	"strconv"
	"strings"
)

type minHeap []int

func (h minHeap) Len() int            { return len(h) }
func (h minHeap) Less(i, j int) bool  { return h[i] < h[j] }
func (h minHeap) Swap(i, j int)       { h[i], h[j] = h[j], h[i] }
func (h *minHeap) Push(x interface{}) { *h = append(*h, x.(int)) }
func (h *minHeap) Pop() interface{} {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func main() {
	in := bufio.NewReader(os.Stdin)
	var n, m int
	fmt.Fscan(in, &n, &m)
	after := make([][]int, n+1)
	waiting := make([]int, n+1) // number of prerequisites not yet taken
	for i := 0; i < m; i++ {
		var a, b int
		fmt.Fscan(in, &a, &b)
		after[a] = append(after[a], b)
		waiting[b]++
	}
	// Kahn's algorithm, always taking the smallest available course.
	ready := &minHeap{}
	for c := 1; c <= n; c++ {
		if waiting[c] == 0 {
			heap.Push(ready, c)
		}
	}
	order := []string{}
	for ready.Len() > 0 {
		course := heap.Pop(ready).(int)
		order = append(order, strconv.Itoa(course))
		for _, next := range after[course] {
			waiting[next]--
			if waiting[next] == 0 {
				heap.Push(ready, next)
			}
		}
	}
	if len(order) == n {
		fmt.Println(strings.Join(order, " "))
	} else {
		fmt.Println("IMPOSSIBLE")
	}
}
