// `x op= y` and `x++` evaluate the place once: a call, a receive or a map
// key in it lands in a temporary before y, and the place is read from it.
package main

type T struct{ n int }

func pick(ts []*T) *T { return ts[0] }

func key() string { return "k" }

func next() int { return 1 }

func main() {
	ts := []*T{{}}
	pick(ts).n += 5
	pick(ts).n++
	m := map[string]int{}
	m[key()] -= 2
	xs := []int{1, 2}
	i := 0
	xs[i] *= next()
	ch := make(chan int, 1)
	ch <- 1
	xs[<-ch] |= 4
	println(ts[0].n, m["k"], xs[0], xs[1])
}
