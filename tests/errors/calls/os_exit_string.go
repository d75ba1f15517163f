package main

import "os"

func main() {
	os.Exit("1") // ERROR "cannot use \"1\" \\(untyped string constant\\) as int value in argument to os\\.Exit"
}
