// fmt calls Error and String only when they have the () string signature,
// as Go's v.(error) and v.(Stringer) require (issue 18, assertions by
// signature).
package main

import "fmt"

type Str struct{ n int }

func (Str) String() int { return 3 }

type E struct{}

func (E) Error() int { return 4 }

func main() {
	fmt.Println(Str{5}, E{})
	fmt.Printf("%v %s\n", Str{6}, Str{7})
}
