// Package calc is the fixture of tests/gotest.rs: `g2n test` on its tests
// must print what `go test` prints (the expected files next to it).
package calc

// Add returns a + b.
func Add(a, b int) int {
	return a + b
}

// Half returns n / 2 (wrong on purpose for odd n: a test catches it).
func Half(n int) int {
	return n >> 1
}

func double(n int) int {
	return 2 * n
}
