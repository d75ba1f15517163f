package main

type T struct{ a int }

func main() {
	m := map[string]T{}
	m["x"].a = 1 // ERROR "cannot assign to struct field m\\[\"x\"\\]\\.a in map"
}
