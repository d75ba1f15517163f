// Package broken's test file does not compile: `g2n test` reports
// `[build failed]` as `go test` does.
package broken

func Answer() int {
	return 42
}
