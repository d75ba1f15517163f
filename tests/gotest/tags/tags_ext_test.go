package tags_test

import (
	"fmt"

	"example.com/tags"
)

func ExampleMode() {
	fmt.Println(tags.Mode())
	// Output: default
}
