package main

func main() {
	var i interface{} = 1
	switch x := i.(type) { // ERROR "x declared but not used"
	case int:
	}
}
