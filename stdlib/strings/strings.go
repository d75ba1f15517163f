// Package strings: implemented by the runtime (crates/runtime/src/stdlib.rs).
package strings

func Contains(s, substr string) bool
func ContainsRune(s string, r rune) bool
func Index(s, substr string) int
func IndexByte(s string, c byte) int
func LastIndex(s, substr string) int
func HasPrefix(s, prefix string) bool
func HasSuffix(s, suffix string) bool
func Repeat(s string, count int) string
func ToUpper(s string) string
func ToLower(s string) string
func TrimSpace(s string) string
func Trim(s, cutset string) string
func TrimLeft(s, cutset string) string
func TrimRight(s, cutset string) string
func TrimPrefix(s, prefix string) string
func TrimSuffix(s, suffix string) string
func Count(s, substr string) int
func Replace(s, old, new string, n int) string
func ReplaceAll(s, old, new string) string
func Split(s, sep string) []string
func Fields(s string) []string
func Join(elems []string, sep string) string
func EqualFold(s, t string) bool
func Title(s string) string
