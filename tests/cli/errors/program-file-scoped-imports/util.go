package main

import "strings"

// fmt and strings are imported by main.go only: imports are per file.
func helper() string {
	return fmt.Sprint(strings.ToUpper("x"))
}
