package main

import "os"

func main() {
	os.Quit(1) // ERROR "undefined: os\\.Quit"
}
