package words_test

import (
	"fmt"

	"example.com/app/greet/words"
)

func ExampleExtra() {
	fmt.Println(words.Extra(), words.Extra(), words.Salute)
	// Output: 100 200 Hello
}
