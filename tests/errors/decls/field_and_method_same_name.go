package main

type T struct{ M int }

func (T) M() {} // ERROR "field and method with the same name M"

func main() {

}
