package main

func main() {
	var i interface{} = 1
	switch i.(type) {
	case int:
	case int: // ERROR "duplicate case int in type switch"
	}
}
