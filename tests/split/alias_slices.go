package main

import "fmt"

// Slices that share one backing array, subslices, a pointer to an element
// and append within capacity: sharing survives every hop.
func main() {
	backing := make([]int, 5, 8)
	head := backing[:2]
	tail := backing[2:]
	elem := &backing[4]
	grid := [][]int{backing[0:1], backing[1:3]}
	for i := 0; i < 4; i++ {
		goToNetwork 'writer'
		head[i%2] += i
		tail[0] = i * 10
		*elem += 100
		if i%2 == 0 {
			goToNetwork 'grower'
			tail = append(tail, i)
			grid[1][0]++
		}
		goToNetwork 'reader'
		fmt.Println(i, backing, head, tail, *elem, grid, len(tail), cap(tail))
	}
	goToNetwork 'end'
	full := backing[:cap(backing)]
	fmt.Println(full, &backing[0] == &head[0], &backing[4] == elem)
}
