// Package hi lives in directory greet: importers name it hi, as in Go.
package hi

import "example.com/app/greet/words"

func Hello(name string) string { return words.Salute + ", " + name }

func Count(name string) int { return len(name) + words.Extra() }

func Salutes() int { return words.Calls() }

// Greeting is a defined type of package hi: Go's %T spells it hi.Greeting,
// by the package clause, not greet.Greeting by the directory.
type Greeting string

func Greet(name string) Greeting { return Greeting(Hello(name)) }
