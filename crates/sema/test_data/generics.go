// Generics: a generic function and a generic type, instantiated.
package main

type Number interface {
	~int | ~float64
}

func Sum[T Number](xs []T) T {
	var total T
	for _, x := range xs {
		total += x
	}
	return total
}

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

func main() {
	p := Pair[string, int]{Key: "a", Val: 1}
	println(Sum([]int{1, 2, 3}), Sum([]float64{0.5, 0.25}), p.Key, p.Val)
}
