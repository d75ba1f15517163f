package main

type Number interface {
	~int | ~float64
}

type List[T any] struct {
	head *node[T]
	*Base[T]
}

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

type Vec [4]float64

type Slice[S ~[]E, E any] []S

func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

func (l *List[T]) Push(v T) {}

func (p Pair[K, V]) String() string { return "" }

func Sum[T Number](xs ...T) (s T) { return }

func arrays(a [4]int, b []int, c [N]T) {}

func unnamedGeneric(Gen[int], Pair[K, V], []int) {}

func main() {
	xs := Map[int, string]([]int{1}, strconv.Itoa)
	p := Pair[string, int]{Key: "a", Val: 1}
	var l List[int]
	s := Sum(1, 2)
}

type Fields[T any] struct {
	Base[T]
	Multi[T, int]
	arr  [N]int `tag:"a"`
	grid [2][3]int
	sl   []T
	a, b T
}
