package main

func f(b bool) string {
	if b {
		return "yes"
	} else if !b {
		return "no"
	}
} // ERROR "missing return"

func main() {
	_ = f(true)
}
