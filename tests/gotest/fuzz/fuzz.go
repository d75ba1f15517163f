// Package fuzz is tested by fuzz tests on their seed corpora.
package fuzz

// Reverse reverses s byte by byte.
func Reverse(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// Half halves n, refusing odd numbers.
func Half(n int) (int, bool) {
	return n / 2, n%2 == 0
}
