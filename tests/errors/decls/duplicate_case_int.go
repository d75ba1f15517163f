package main

func main() {
	switch 1 {
	case 1:
	case 1: // ERROR "duplicate case 1 \\(constant of type int\\) in expression switch"
	}
}
