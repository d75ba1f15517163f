// fmt's scanning compared with Go's: Sscan, Sscanln, Sscanf, Fscan,
// Fscanln and Fscanf with every kind of operand, verbs, widths and the
// errors Go gives (expected output from go run).
package main

import (
	"bufio"
	"fmt"
	"strings"
)

func main() {
	var a, b int
	var f float64
	var s, t string
	var u uint
	var r rune
	var bo bool
	var i8 int8
	show := func(label string, n int, err error, vals ...interface{}) {
		fmt.Printf("%s: n=%d err=%v vals=%v\n", label, n, err, vals)
	}
	n, err := fmt.Sscan("12 34", &a, &b)
	show("sscan ints", n, err, a, b)
	n, err = fmt.Sscan("12\n34", &a, &b)
	show("sscan newline", n, err, a, b)
	n, err = fmt.Sscanln("12\n34", &a, &b)
	show("sscanln newline", n, err, a, b)
	n, err = fmt.Sscanln("5 6 7", &a, &b)
	show("sscanln extra", n, err, a, b)
	n, err = fmt.Sscan("x1", &a)
	show("sscan bad int", n, err, a)
	n, err = fmt.Sscan("", &a)
	show("sscan empty", n, err, a)
	n, err = fmt.Sscan("7", &a, &b)
	show("sscan short", n, err, a, b)
	n, err = fmt.Sscan("3.25 hello", &f, &s)
	show("sscan float str", n, err, f, s)
	n, err = fmt.Sscan("1e3 -0.5", &f, &f)
	show("sscan exp", n, err, f)
	n, err = fmt.Sscan("0x1f 0b101 0o17 017", &a, &b, &u, &i8)
	show("sscan prefixes", n, err, a, b, u, i8)
	n, err = fmt.Sscan("300", &i8)
	show("sscan overflow", n, err, i8)
	n, err = fmt.Sscan("-3", &u)
	show("sscan neg uint", n, err, u)
	n, err = fmt.Sscan("true false", &bo, &bo)
	show("sscan bool", n, err, bo)
	n, err = fmt.Sscanf("10-20", "%d-%d", &a, &b)
	show("sscanf dash", n, err, a, b)
	n, err = fmt.Sscanf("move 3 from 1 to 2", "move %d from %d to %d", &a, &b, &u)
	show("sscanf aoc", n, err, a, b, u)
	n, err = fmt.Sscanf("ff", "%x", &a)
	show("sscanf hex", n, err, a)
	n, err = fmt.Sscanf("FF zz", "%X %s", &a, &s)
	show("sscanf HEX", n, err, a, s)
	n, err = fmt.Sscanf("\"hi there\" x", "%q %s", &s, &t)
	show("sscanf q", n, err, s, t)
	n, err = fmt.Sscanf("`raw` x", "%q %s", &s, &t)
	show("sscanf q raw", n, err, s, t)
	n, err = fmt.Sscanf("abc", "%c%c", &r, &a)
	show("sscanf c", n, err, r, a)
	n, err = fmt.Sscanf("12345", "%2d%3d", &a, &b)
	show("sscanf widths", n, err, a, b)
	n, err = fmt.Sscanf("abcdef", "%3s%s", &s, &t)
	show("sscanf str width", n, err, s, t)
	n, err = fmt.Sscanf("3.5", "%f", &f)
	show("sscanf f", n, err, f)
	n, err = fmt.Sscanf("3.5 x", "%v %v", &f, &s)
	show("sscanf v", n, err, f, s)
	n, err = fmt.Sscanf("1 2", "%d %d %d", &a, &b, &u)
	show("sscanf eof", n, err, a, b, u)
	n, err = fmt.Sscanf("1\n2", "%d %d", &a, &b)
	show("sscanf newline", n, err, a, b)
	n, err = fmt.Sscanf("1\n2", "%d\n%d", &a, &b)
	show("sscanf newline fmt", n, err, a, b)
	n, err = fmt.Sscanf("x", "%d", &a)
	show("sscanf bad", n, err, a)
	n, err = fmt.Sscanf("5 apples", "%d pears", &a)
	show("sscanf literal mismatch", n, err, a)
	n, err = fmt.Sscanf("5", "%d", &s)
	show("sscanf bad verb", n, err, s)
	n, err = fmt.Sscanf("5%", "%d%%", &a)
	show("sscanf percent", n, err, a)
	n, err = fmt.Sscanf("  42", "%d", &a)
	show("sscanf leading space", n, err, a)
	n, err = fmt.Sscanf("1,2,3", "%d,%d,%d", &a, &b, &u)
	show("sscanf commas", n, err, a, b, u)
	n, err = fmt.Sscanf("x=5 y=-7", "x=%d y=%d", &a, &b)
	show("sscanf eq", n, err, a, b)
	n, err = fmt.Sscanf("#1 @ 3,2: 5x4", "#%d @ %d,%d: %dx%d", &a, &b, &u, &i8, &r)
	show("sscanf claim", n, err, a, b, u, i8, r)
	n, err = fmt.Sscanf("1.5e2", "%e", &f)
	show("sscanf e", n, err, f)
	n, err = fmt.Sscanf("101", "%b", &a)
	show("sscanf b", n, err, a)
	n, err = fmt.Sscanf("17", "%o", &a)
	show("sscanf o", n, err, a)
	n, err = fmt.Sscanf("hello", "%5s", &s)
	show("sscanf %5s", n, err, s)
	var by []byte
	n, err = fmt.Sscan("bytes!", &by)
	show("sscan bytes", n, err, string(by))
	n, err = fmt.Sscan("1", a)
	show("sscan non ptr", n, err)
	var c128 complex128
	n, err = fmt.Sscan("(1+2i)", &c128)
	show("sscan complex", n, err, c128)
	n, err = fmt.Sscanln("", &a)
	show("sscanln empty", n, err)
	n, err = fmt.Sscanln("4\n", &a)
	show("sscanln trailing nl", n, err, a)
	n, err = fmt.Sscan("  \n\n 9 ", &a)
	show("sscan spaces", n, err, a)
	n, err = fmt.Sscanf("9", "%d\n", &a)
	show("sscanf fmt nl no input nl", n, err, a)
	n, err = fmt.Sscanf("a b", "%s%s", &s, &t)
	show("sscanf ss", n, err, s, t)
	n, err = fmt.Sscanf("7 8", "%d%d", &a, &b)
	show("sscanf dd", n, err, a, b)
	n, err = fmt.Sscanf("+5 -0", "%d %d", &a, &b)
	show("sscanf signs", n, err, a, b)
	n, err = fmt.Sscanf("1_000", "%d", &a)
	show("sscanf underscore d", n, err, a)
	n, err = fmt.Sscan("1_000", &a)
	show("sscan underscore", n, err, a)
	n, err = fmt.Sscanf("inf", "%f", &f)
	show("sscanf inf", n, err, f)
	n, err = fmt.Sscanf("3", "%5.2f", &f)
	show("sscanf prec", n, err, f)
	n, err = fmt.Sscanf("t", "%t", &bo)
	show("sscanf t", n, err, bo)
	n, err = fmt.Sscanf("é", "%c", &r)
	show("sscanf c utf8", n, err, r)
	n, err = fmt.Sscanf("ab", "%c %c", &r, &r)
	show("sscanf c space", n, err, r)

	rd := strings.NewReader("1 2\n3 4\n")
	for {
		n, err := fmt.Fscanln(rd, &a, &b)
		show("fscanln loop", n, err, a, b)
		if err != nil {
			break
		}
	}
	rd = strings.NewReader("1 2 3")
	for {
		n, err := fmt.Fscan(rd, &a)
		show("fscan loop", n, err, a)
		if err != nil {
			break
		}
	}
	rd = strings.NewReader("5 x\n6 y\n")
	for {
		n, err := fmt.Fscanf(rd, "%d %s\n", &a, &s)
		show("fscanf loop", n, err, a, s)
		if err != nil {
			break
		}
	}
	br := bufio.NewReader(strings.NewReader("10 20\n"))
	n, err = fmt.Fscan(br, &a, &b)
	show("fscan bufio", n, err, a, b)
	more()
}

func more() {
	var a int
	var i64 int64
	var u8 uint8
	var f float64
	var f32 float32
	var s, t string
	var bo bool
	var r rune
	var c64 complex64
	var by []byte
	show := func(label string, n int, err error, vals ...interface{}) {
		fmt.Printf("%s: n=%d err=%v vals=%v\n", label, n, err, vals)
	}
	n, err := fmt.Sscan("1e400", &f)
	show("float range", n, err, f)
	n, err = fmt.Sscan("abc", &f)
	show("float syntax", n, err, f)
	n, err = fmt.Sscan("0.1", &f32)
	show("float32", n, err, f32, float64(f32))
	n, err = fmt.Sscan("0x1p-2 0x1.8p1 1.5p3", &f, &f32, &f)
	show("hex floats", n, err, f, f32)
	n, err = fmt.Sscan("1_000.5", &f)
	show("float underscore", n, err, f)
	n, err = fmt.Sscan("-0", &f)
	show("neg zero", n, err, f)
	n, err = fmt.Sscan("123456789012345678901234567890", &f)
	show("long float", n, err, f)
	n, err = fmt.Sscan("2.2250738585072011e-308", &f)
	show("subnormal edge", n, err, f)
	n, err = fmt.Sscan("99999999999999999999", &i64)
	show("int64 overflow", n, err, i64)
	n, err = fmt.Sscan("256", &u8)
	show("uint8 overflow", n, err, u8)
	n, err = fmt.Sscan("0x", &a)
	show("bare prefix", n, err, a)
	n, err = fmt.Sscan("1__0", &a)
	show("double underscore", n, err, a)
	n, err = fmt.Sscan("maybe", &bo)
	show("bool word", n, err, bo)
	n, err = fmt.Sscan("tru", &bo)
	show("bool short", n, err, bo)
	n, err = fmt.Sscan("1", a)
	show("not pointer", n, err)
	n, err = fmt.Sscanf("1 2", "%d", &a, &i64)
	show("too many operands", n, err, a)
	n, err = fmt.Sscanf("1 2", "%d %d", &a)
	show("too few operands", n, err, a)
	n, err = fmt.Sscanf("U+1F600", "%U", &r)
	show("U", n, err, r)
	n, err = fmt.Sscanf("68656c6c6f", "%x", &s)
	show("hex string", n, err, s)
	n, err = fmt.Sscanf("zz", "%x", &s)
	show("hex string bad", n, err, s)
	n, err = fmt.Sscanf("6g", "%x", &s)
	show("hex digit bad", n, err, s)
	n, err = fmt.Sscanf("\"a\\tb\\u00e9\\x41\\101\"", "%q", &s)
	show("q escapes", n, err, s)
	n, err = fmt.Sscanf("\"unterminated", "%q", &s)
	show("q unterminated", n, err, s)
	n, err = fmt.Sscanf("bare", "%q", &s)
	show("q bare", n, err, s)
	n, err = fmt.Sscanf("\"\\z\"", "%q", &s)
	show("q bad escape", n, err, s)
	n, err = fmt.Sscan("(1.5-2i) 3+4i", &c64, &c64)
	show("complex64", n, err, c64)
	n, err = fmt.Sscan("1+2", &c64)
	show("complex bad", n, err, c64)
	n, err = fmt.Sscanf("ab", "%s%c", &s, &r)
	show("s then c", n, err, s, r)
	n, err = fmt.Sscanf("x 5", "%s %5d", &s, &a)
	show("width d", n, err, s, a)
	n, err = fmt.Sscanf("1234", "%2d%d", &a, &i64)
	show("width split", n, err, a, i64)
	n, err = fmt.Sscanf("42", "%v", &by)
	show("bytes v", n, err, string(by))
	n, err = fmt.Sscanf("5", "%d%", &a)
	show("trailing percent", n, err, a)
	n, err = fmt.Sscanf("5 %", "%d %%", &a)
	show("space percent", n, err, a)
	n, err = fmt.Sscanf("true", "%d", &bo)
	show("bool d", n, err, bo)
	n, err = fmt.Sscanf("3", "%s", &f)
	show("float s", n, err, f)
	n, err = fmt.Sscanln("1 2\n", &a, &i64)
	show("sscanln ok", n, err, a, i64)
	n, err = fmt.Sscanln("1\r\n", &a)
	show("crlf", n, err, a)
	n, err = fmt.Sscan("é1", &s)
	show("utf8 token", n, err, s)
	n, err = fmt.Sscan("\xff x", &s)
	show("invalid utf8", n, err, []byte(s))
	n, err = fmt.Sscan("  ", &s, &t)
	show("spaces only", n, err)
}
