// Package strconv: implemented by the runtime (crates/runtime/src/stdlib.rs).
package strconv

const IntSize = 64

func Itoa(i int) string
func Atoi(s string) (int, error)
func FormatInt(i int64, base int) string
func FormatUint(i uint64, base int) string
func FormatBool(b bool) string
func FormatFloat(f float64, fmt byte, prec, bitSize int) string
func ParseInt(s string, base int, bitSize int) (int64, error)
func ParseUint(s string, base int, bitSize int) (uint64, error)
func ParseFloat(s string, bitSize int) (float64, error)
func ParseBool(str string) (bool, error)
func Quote(s string) string
