package main

import "fmt"
import (
	"strings" // text
	str "strconv"
	. "math"
	_ "unsafe"

	"os"
	"errors"
)

func main() {
	fmt.Println(strings.ToUpper("x"), str.Itoa(1), Pi, os.Args[0], errors.New("e"))
}
