package main

import "fmt"

func main() {
	greeting := "Hello"
	name := "Gopher"
	message := greeting + ", " + name + "!"
	fmt.Println(message)
	fmt.Println(greeting < name, greeting == "Hello", name != "Gopher")
	s := ""
	for i := 0; i < 3; i++ {
		s += "ab"
	}
	fmt.Print(s, "\n")
	fmt.Print(1, 2, "x", 3, "\n")
	fmt.Printf("%s has %d letters; %q %v %5d|%-5d|%05d %x %X %o %b %t\n", name, 6, name, 3.5, 42, 42, 42, 255, 255, 8, 5, true)
	fmt.Printf("%8.3f|%-8.2f|%e|%g|%v\n", 3.14159, 2.5, 123456.789, 0.000001234, 1e21)
	fmt.Printf("%c%c %U %d%%\n", 'G', 'o', 'G', 100)
	fmt.Printf("%d %s\n", "str", 5)
	fmt.Printf("%d\n")
	fmt.Printf("%d\n", 1, 2)
	f := 1.0 / 3.0
	fmt.Println(f, 2.0, 1e6, 1e21, 1e-7, -0.5)
	ok := true && !false
	fmt.Println(ok, ok || false)
}
