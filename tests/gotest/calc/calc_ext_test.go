package calc_test

import (
	"fmt"
	"testing"

	"example.com/calc"
)

func TestExternal(t *testing.T) {
	if calc.Add(1, 1) != 2 {
		t.Fatal("1 + 1")
	}
}

func ExampleAdd() {
	fmt.Println(calc.Add(40, 2))
	// Output: 42
}

func ExampleHalf() {
	fmt.Println(calc.Half(7))
	fmt.Println(calc.Half(-7))
	// Output:
	// 3
	// -3
}

func ExampleAdd_unordered() {
	fmt.Println(calc.Add(1, 0))
	fmt.Println(calc.Add(2, 0))
	// Unordered output:
	// 2
	// 1
}
