package main

import "fmt"

type Animal struct{ Name string }

func (a Animal) Speak() string   { return a.Name + " speaks" }
func (a *Animal) Rename(n string) { a.Name = n }

type Dog struct {
	Animal
	Breed string
}

type Loud struct{ *Dog }

func main() {
	d := Dog{Animal{"rex"}, "lab"}
	fmt.Println(d.Speak(), d.Name, d.Breed)
	d.Rename("max")
	fmt.Println(d.Speak())
	l := Loud{&d}
	l.Rename("bo")
	fmt.Println(l.Speak(), d.Name)
}
