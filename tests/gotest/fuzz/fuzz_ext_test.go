package fuzz_test

import (
	"fmt"
	"testing"

	"example.com/fuzz"
)

func FuzzExternal(f *testing.F) {
	f.Add("ab", 2)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if len(fuzz.Reverse(s)) != n {
			t.Errorf("length of %q is not %d", s, n)
		}
	})
}

func ExampleReverse() {
	fmt.Println(fuzz.Reverse("stressed"))
	// Output: desserts
}
