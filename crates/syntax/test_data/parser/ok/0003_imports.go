package main

import "fmt"
import f "fmt"
import (
	"os"
	str "strings"
	. "math"
	_ "unsafe"
)
import ("errors"; "io")
