package main

import "os" // ERROR "imported and not used: \"os\""

func main() {

}
