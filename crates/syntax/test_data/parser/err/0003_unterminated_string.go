package main

func main() {
	s := "never closed
	t := 2
}
