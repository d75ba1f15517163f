package main

const c = []int{1} // ERROR "\\[\\]int\\{…\\} \\(value of type \\[\\]int\\) is not constant"

func main() {

}
