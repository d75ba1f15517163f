// String == and != as g2n lowers them inline: lengths first, constants of up
// to 16 bytes by loads, longer or non-constant operands through the runtime.
// Each case is printed so that a wrong branch shows which one.
package main

import "fmt"

// noinline keeps the operands from being known at compile time.
//
//go:noinline
func id(s string) string { return s }

func classify(s string) string {
	switch s {
	case "":
		return "empty"
	case "a":
		return "a"
	case "ab", "abc":
		return "ab or abc"
	case "héllo":
		return "hello with accent"
	case "12345678":
		return "eight"
	case "123456789":
		return "nine"
	case "0123456789abcdef":
		return "sixteen"
	case "0123456789abcdefg":
		return "seventeen"
	case "日本語":
		return "japanese"
	}
	return "other"
}

func main() {
	long := "0123456789abcdefghijklmnopqrstuvwxyz"
	inputs := []string{
		"", "a", "b", "ab", "abc", "abd", "héllo", "hello", "héllp",
		"12345678", "12345679", "123456789", "023456789", "12345678", "1234567",
		"0123456789abcdef", "0123456789abcdeF", "0123456789abcdefg", "0123456789abcdefh",
		"日本語", "日本", "日本誤",
		long[:0], long[1:2], long[0:16], long[0:17], long[10:11], long[:8], long[3:3],
	}
	for _, s := range inputs {
		s = id(s)
		fmt.Printf("%q: %s eq-empty=%v ne-empty=%v eq-a=%v ne-abc=%v eq-7=%v eq-long=%v\n",
			s, classify(s), s == "", s != "", s == "a", "abc" != s, s == "1234567", s == "0123456789abcdefg")
	}

	// Two variables: equal contents in different memory, shared memory,
	// equal prefixes, different lengths, empty strings with and without a
	// pointer.
	b := []byte("prefix-and-more")
	pairs := [][2]string{
		{"", ""},
		{long[5:5], ""},
		{"abc", string([]byte("abc"))},
		{long[2:9], long[2:9]},
		{long[2:9], long[2:10]},
		{"prefix", string(b[:6])},
		{"prefix-and-more", string(b)},
		{"prefix-and-mord", string(b)},
		{"日本語", "日本語"[0:9]},
		{"日本語", "日本"},
		{"\x00", ""},
		{"\x00\x00", "\x00"},
		{"a\x00b", "a\x00c"},
	}
	for _, p := range pairs {
		x, y := id(p[0]), id(p[1])
		fmt.Printf("%q %q: ==%v !=%v <%v >=%v\n", x, y, x == y, x != y, x < y, x >= y)
	}

	// string(bytes) compared in place, against a constant and a variable.
	for _, w := range [][]byte{[]byte("GET"), []byte("POST"), []byte("GETS"), nil, {}} {
		fmt.Println(string(w) == "GET", string(w) == "POST", string(w) == "", string(w) == id("GETS"))
	}

	// Results stored, negated and combined.
	count := 0
	for i := 0; i < 1000; i++ {
		s := fmt.Sprint(i)
		if s == "7" || s == "77" || s == "777" || !(s != "500") {
			count++
		}
	}
	fmt.Println("count", count)
}
