package main

import "strconv" // ERROR "imported and not used: \"strconv\""

func main() {

}
