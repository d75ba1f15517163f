package main

import "strings" // ERROR "imported and not used: \"strings\""

func main() {

}
