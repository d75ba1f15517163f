// A second program of the module, in a subdirectory, without hops.
package main

import (
	"fmt"

	"example.com/app/greet"
	"example.com/app/internal/tally"
)

func main() {
	fmt.Println(hi.Hello("plain"), hi.Count("plain"), tally.Add(7))
	fmt.Printf("%T %q\n", hi.Greet("plain"), hi.Greet("plain"))
}
