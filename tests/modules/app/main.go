// A program of a module: it imports the module's own packages (one nested,
// one internal, one whose package clause is not its directory's name) and
// hops between nanoservices while their package-level state changes.
package main

import (
	"fmt"
	"strings"

	"example.com/app/greet"
	"example.com/app/internal/tally"
)

func main() {
	names := strings.Fields("ada grace linus")
	for _, name := range names {
		fmt.Println(hi.Hello(name), tally.Add(len(name)))
		goToNetwork 'greeter'
		fmt.Println(hi.Count(name))
	}
	goToNetwork 'summary'
	fmt.Println("total", tally.Total(), "salutes", hi.Salutes())
}
