// reflect.DeepEqual with Go's rules: types must match, nil and empty
// slices and maps differ, NaN is not equal to itself (but a slice is equal
// to itself), funcs only when both are nil, unexported fields count,
// pointers compare what they point to, and cycles end.
package main

import (
	"fmt"
	"math"
	"reflect"
)

type Node struct {
	V    int
	Next *Node
	name string
}

type S struct {
	A []int
	M map[string]int
	F func()
	I any
}

type Celsius float64

type key struct {
	a, b int
}

func main() {
	fmt.Println("basic", reflect.DeepEqual(1, 1), reflect.DeepEqual(1, 2), reflect.DeepEqual(1, int64(1)), reflect.DeepEqual(Celsius(1), 1.0))
	fmt.Println("slices", reflect.DeepEqual([]int{1, 2}, []int{1, 2}), reflect.DeepEqual([]int{}, []int(nil)), reflect.DeepEqual([]int(nil), []int(nil)), reflect.DeepEqual([]int{1}, []int{1, 2}))
	fmt.Println("maps", reflect.DeepEqual(map[string]int{"a": 1}, map[string]int{"a": 1}), reflect.DeepEqual(map[string]int{}, map[string]int(nil)))
	fmt.Println("maps differ", reflect.DeepEqual(map[string]int{"a": 1}, map[string]int{"a": 2}), reflect.DeepEqual(map[string]int{"a": 1}, map[string]int{"b": 1}))
	fmt.Println("struct keys", reflect.DeepEqual(map[key]string{{1, 2}: "x"}, map[key]string{{1, 2}: "x"}), reflect.DeepEqual(map[key]string{{1, 2}: "x"}, map[key]string{{2, 1}: "x"}))
	nan := math.NaN()
	fmt.Println("nan", reflect.DeepEqual(nan, nan), reflect.DeepEqual([]float64{nan}, []float64{nan}))
	s := []float64{nan}
	fmt.Println("same slice", reflect.DeepEqual(s, s), reflect.DeepEqual(s[:1], s))
	m := map[string]float64{"x": nan}
	fmt.Println("same map", reflect.DeepEqual(m, m))
	a := &Node{V: 1, name: "a"}
	a.Next = a
	b := &Node{V: 1, name: "a"}
	b.Next = b
	fmt.Println("cycle", reflect.DeepEqual(a, b))
	c := &Node{V: 1, name: "c"}
	c.Next = c
	fmt.Println("unexported field", reflect.DeepEqual(a, c))
	x := &Node{V: 7}
	fmt.Println("same pointer", reflect.DeepEqual(x, x), reflect.DeepEqual(&Node{V: 7}, x), reflect.DeepEqual(&Node{V: 8}, x))
	f := func() {}
	fmt.Println("funcs", reflect.DeepEqual(S{F: f}, S{F: f}), reflect.DeepEqual(S{}, S{}), reflect.DeepEqual(f, f))
	var nf func()
	fmt.Println("nil funcs", reflect.DeepEqual(nf, nf))
	fmt.Println("interfaces", reflect.DeepEqual(S{I: 3}, S{I: 3}), reflect.DeepEqual(S{I: 3}, S{I: "3"}), reflect.DeepEqual(S{I: []int{1}}, S{I: []int{1}}))
	fmt.Println("nil", reflect.DeepEqual(nil, nil), reflect.DeepEqual(nil, 0), reflect.DeepEqual(error(nil), nil), reflect.DeepEqual((*int)(nil), nil))
	fmt.Println("bytes arrays", reflect.DeepEqual([]byte("ab"), []byte("ab")), reflect.DeepEqual([]byte("ab"), []byte("ac")), reflect.DeepEqual([2]string{"x", "y"}, [2]string{"x", "y"}), reflect.DeepEqual([2]int{}, [3]int{}))
	fmt.Println("sized", reflect.DeepEqual(int8(-3), int8(-3)), reflect.DeepEqual(float32(1.5), float32(1.5)), reflect.DeepEqual(complex(1, 2), complex(1, 2)), reflect.DeepEqual(uint16(9), uint16(8)))
	fmt.Println("nested", reflect.DeepEqual(map[int][]int{1: {2}}, map[int][]int{1: {2}}), reflect.DeepEqual(map[int][]int{1: {2}}, map[int][]int{1: {3}}))
	var cyc1, cyc2 []any
	cyc1 = append(cyc1, 1, nil)
	cyc1[1] = cyc1
	cyc2 = append(cyc2, 1, nil)
	cyc2[1] = cyc2
	fmt.Println("slice cycle", reflect.DeepEqual(cyc1, cyc2))
	ch := make(chan int)
	fmt.Println("chans", reflect.DeepEqual(ch, ch), reflect.DeepEqual(ch, make(chan int)))
	fmt.Println("errors", reflect.DeepEqual(fmt.Errorf("x"), fmt.Errorf("x")), reflect.DeepEqual(fmt.Errorf("x"), fmt.Errorf("y")))
}
