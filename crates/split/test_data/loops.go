// Hops inside loops: the loop counter, the accumulator and the range
// position travel; a range over a map iterates over its keys, taken once.
package main

func main() {
	total := 0
	for i := 0; i < 3; i++ {
		goToNetwork 'worker'
		total += i
	}
	ages := map[string]int{"ann": 3, "bob": 5}
	for name, age := range ages {
		goToNetwork 'reader'
		println(name, age)
	}
	words := []string{"a", "b"}
	for _, w := range words {
		goToNetwork 'worker'
		total += len(w)
	}
	println(total)
}
