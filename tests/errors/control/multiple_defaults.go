package main

func main() {
	switch {
	default:
	default: // ERROR "multiple defaults \\(first at \\./multiple_defaults\\.go:5:2\\)"
	}
}
