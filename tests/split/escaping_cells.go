package main

import "fmt"

type Counter struct {
	N int
}

func (c *Counter) Add(k int) { c.N += k }

// Escaping locals (address taken, captured by closures) keep sharing with
// the pointers and closures that refer to them; arrays and structs travel
// by value where Go copies them.
func main() {
	total := 0
	ptr := &total
	bump := func() { total++ }
	arr := [4]int{1, 2, 3, 4}
	copyArr := arr
	c := Counter{}
	add := func(k int) { c.Add(k) }
	words := []string{}
	collect := func(w string) { words = append(words, w) }
	for i := 0; i < 3; i++ {
		goToNetwork 'loop'
		bump()
		*ptr += 10
		arr[i]++
		add(i)
		collect(fmt.Sprint("w", i))
		if total > 20 {
			goToNetwork 'big'
			fmt.Println("big", total)
		}
	}
	goToNetwork 'end'
	fmt.Println(total, *ptr, arr, copyArr, c.N, words, len(words))
}
