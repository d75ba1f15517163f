// Package utf8: implemented by the runtime (crates/runtime/src/stdlib.rs).
package utf8

const (
	RuneError = '\uFFFD'
	RuneSelf  = 0x80
	MaxRune   = '\U0010FFFF'
	UTFMax    = 4
)

func DecodeRuneInString(s string) (rune, int)
func DecodeLastRuneInString(s string) (rune, int)
func RuneCountInString(s string) int
func RuneLen(r rune) int
func ValidString(s string) bool
func ValidRune(r rune) bool
