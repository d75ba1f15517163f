package main

func main() {
	x := 1
	_ = x
	{
		x := 2 // ERROR "x declared but not used"
	}
}
