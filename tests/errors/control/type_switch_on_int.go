package main

func main() {
	x := 1
	switch x.(type) { // ERROR "x \\(variable of type int\\) is not an interface"
	}
}
