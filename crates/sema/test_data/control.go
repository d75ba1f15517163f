// Statements: if/else, the for forms, labels with break/continue/goto,
// an expression switch with fallthrough, constants of every kind.
package main

const big = 1 << 40

func classify(n int) string {
	switch {
	case n < 0:
		return "negative"
	case n == 0:
		fallthrough
	case n == 1:
		return "small"
	default:
		return "large"
	}
}

func main() {
	sum := 0
	for i := 0; i < 10; i++ {
		if i%2 == 0 {
			continue
		} else if i > 7 {
			break
		}
		sum += i
	}
outer:
	for j := 0; ; j++ {
		for k := 0; k < j; k++ {
			if j*k > 6 {
				break outer
			}
			if k == 2 {
				continue outer
			}
		}
	}
	n := 3
	for n > 0 {
		n--
	}
	if n == 0 {
		goto done
	}
	println("unreachable")
done:
	switch x := sum; x {
	case 1, 2:
		println("one or two")
	case 25:
		println("twenty-five")
	}
	var f32 float32 = 0.1
	c := complex(1.5, -2)
	println(classify(sum), big/3, 7.0/2, f32, real(c), "tab\there", 'x', !(sum > 3), ^sum, -sum)
}
