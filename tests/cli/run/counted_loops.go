// Counted loops whose index checks the compiler may prove redundant, next to
// near misses that must still panic with Go's message.
package main

import "fmt"

func try(name string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println(name, "panic:", r)
		}
	}()
	f()
	fmt.Println(name, "ok")
}

func sumSlice(s []int) int {
	total := 0
	for i := 0; i < len(s); i++ {
		total += s[i]
	}
	for _, v := range s {
		total += v
	}
	return total
}

func main() {
	s := []int{1, 2, 3, 4, 5}
	fmt.Println(sumSlice(s), sumSlice(nil))

	var arr [6]int
	for i := 0; i < 6; i++ {
		arr[i] = i * i
	}
	p := &arr
	for i := 0; i < 4; i++ {
		p[i]++
	}
	fmt.Println(arr)

	n := 7
	made := make([]int, n)
	for i := 0; i < n; i++ {
		made[i] = i
		for j := i + 1; j < n; j++ {
			made[j] += 1
		}
	}
	fmt.Println(made)

	try("bound larger than the array", func() {
		var a [3]int
		k := 4
		for i := 0; i < k; i++ {
			a[i] = i
		}
	})
	try("bound is another slice's length", func() {
		short := []int{1, 2}
		long := []int{1, 2, 3}
		for i := 0; i < len(long); i++ {
			short[i] = long[i]
		}
	})
	try("slice reassigned in the loop", func() {
		t := []int{1, 2, 3, 4}
		for i := 0; i < len(t); i++ {
			if i == 2 {
				t = t[:1]
			}
			_ = t[i]
		}
	})
	try("index changed in the body", func() {
		t := []int{1, 2, 3, 4}
		for i := 0; i < len(t); i++ {
			i++
			_ = t[i]
		}
	})
	try("negative start", func() {
		t := []int{1, 2, 3}
		for i := -1; i < len(t); i++ {
			_ = t[i]
		}
	})
	try("index on another variable", func() {
		t := []int{1, 2, 3}
		for i := 0; i < len(t); i++ {
			_ = t[i+1]
		}
	})
	try("length of a nil slice's make", func() {
		m := 3
		u := make([]int, 2)
		for i := 0; i < m; i++ {
			u[i] = i
		}
	})
	try("slice grown by append", func() {
		u := make([]int, 0, 10)
		for i := 0; i < 3; i++ {
			u = append(u, i)
		}
		for i := 0; i < len(u); i++ {
			fmt.Print(u[i], " ")
		}
		fmt.Println()
	})
}
