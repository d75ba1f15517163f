// Package hi lives in directory greet: importers name it hi, as in Go.
package hi

import "example.com/app/greet/words"

func Hello(name string) string { return words.Salute + ", " + name }

func Count(name string) int { return len(name) + words.Extra() }

func Salutes() int { return words.Calls() }
