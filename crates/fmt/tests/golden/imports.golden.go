package main

import "fmt"
import (
	. "math"
	str "strconv"
	"strings" // text
	_ "unsafe"

	"errors"
	"os"
)

func main() {
	fmt.Println(strings.ToUpper("x"), str.Itoa(1), Pi, os.Args[0], errors.New("e"))
}
