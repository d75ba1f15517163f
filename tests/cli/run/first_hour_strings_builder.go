package main

import (
	"fmt"
	"strings"
)

func main() {
	var sb strings.Builder
	for i := 3; i > 0; i-- {
		fmt.Fprintf(&sb, "%d...", i)
	}
	sb.WriteString("liftoff")
	sb.WriteByte('!')
	sb.WriteRune('🚀')
	fmt.Println(sb.String(), sb.Len())
	fmt.Println(strings.Repeat("=", 10))
	fmt.Println(strings.Join([]string{"a", "b", "c"}, ", "))
	fmt.Println(strings.Split("a,b,c", ","), strings.Contains("seafood", "foo"), strings.TrimSpace("  x  "))
	fmt.Println(strings.ReplaceAll("oink oink", "k", "ky"), strings.Title("hello"), strings.HasPrefix("golang", "go"))
}
