package main

func main() {
	xs := []int{
		1,
		2
	}
	f(a b)
}
