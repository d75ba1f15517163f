package main

func main() {
	_ = cap(map[int]int{}) // ERROR "invalid argument: map\\[int\\]int\\{\\} \\(value of type map\\[int\\]int\\) for cap"
}
