// Values that are not basic wire values travel in the scope's value graph:
// a slice and a map by value, a local whose address is taken and a struct
// as cells (pointers to them must still share them after the hop), and a
// closure with the variable it captures.
package main

type point struct{ x, y int }

func main() {
	xs := []int{1, 2, 3}
	index := map[string]int{"k": 1}
	counter := 0
	p := &counter
	origin := point{1, 2}
	bump := func() { counter++ }
	goToNetwork 'far'
	*p += 5
	bump()
	xs[0] = index["k"]
	println(xs[0], counter, origin.x)
}
