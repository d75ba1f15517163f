// Narrow values cross each hop as they were: a false bool left with junk
// in its register's upper bits (a comparison, a missing map key), bytes,
// int8s, uint32s and runes, signed and not.
package main

import "fmt"

func main() {
	m := map[string]int{"y": 1}
	_, ok := m["x"]
	_, found := m["y"]
	a, b := 3, 4
	less := a > b
	var small int8 = -7
	var big uint8 = 200
	var r rune = -2
	var u uint32 = 4000000000
	goToNetwork 'z'
	fmt.Println(ok, found, less, small, big, r, u)
	for i := 0; i < 3; i++ {
		even := i%2 == 0
		goToNetwork 'w'
		fmt.Println(i, even, !even)
	}
}
