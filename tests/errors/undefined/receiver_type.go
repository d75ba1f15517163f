package main

func (r *R) M() {} // ERROR "undefined: R"

func main() {

}
