package main

import (
	"fmt"

	"example.com/missing/nowhere"
)

func main() { fmt.Println(nowhere.X) }
