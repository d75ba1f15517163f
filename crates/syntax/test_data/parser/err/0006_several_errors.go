package main

func main() {
	a := 1 +
	b := ]
	c := 3
	d := )
}

func other() {
	if {
	}
}
