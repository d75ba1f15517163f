// Dot imports put a package's exported names in the file's scope, blank
// imports only initialize a package, and new() takes a type of an imported
// package.
package main

import (
	"container/list"
	. "container/ring"
	"fmt"
	_ "unicode"
	. "unicode/utf8"
)

func main() {
	l := new(list.List)
	l.PushBack("a")
	r := New(4)
	var sb = new(fmt.Stringer)
	fmt.Println(l.Len(), r.Len(), RuneLen('é'), RuneSelf, ValidString("ok"), *sb == nil)
}
