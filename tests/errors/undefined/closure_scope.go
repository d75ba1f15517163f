package main

func main() {
	f := func() {
		z := 1
		_ = z
	}
	f()
	println(z) // ERROR "undefined: z"
}
