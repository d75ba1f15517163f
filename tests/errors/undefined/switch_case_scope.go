package main

func main() {
	switch {
	case true:
		w := 1
		_ = w
	}
	println(w) // ERROR "undefined: w"
}
