package main

func main() {
	i := 0
	_ = []int{i: 1} // ERROR "index i must be integer constant"
}
