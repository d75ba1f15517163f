package main

type Everything struct {
	p  *int
	s  []string
	a  [4]byte
	m  map[string][]int
	c  chan int
	sc chan<- int
	rc <-chan int
	cc chan<- chan int
	f  func(int, string) (bool, error)
	i  interface{}
	e  struct{}
	n  pkg.Name
	ff func()
}

type Number interface {
	~int | ~float64 | string
}

type Handler func(w Writer, r *Request)

func main() {
	var x interface{ M() }
	var y [2][3]int
	var z map[Key]func() int
}
