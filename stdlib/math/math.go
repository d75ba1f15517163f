// Package math: implemented by the runtime (crates/runtime/src/stdlib.rs).
package math

const (
	E       = 2.71828182845904523536028747135266249775724709369995957496696763
	Pi      = 3.14159265358979323846264338327950288419716939937510582097494459
	Phi     = 1.61803398874989484820458683436563811772030917980576286213544862
	Sqrt2   = 1.41421356237309504880168872420969807856967187537694807317667974
	Ln2     = 0.693147180559945309417232121458176568075500134360255254120680009
	MaxInt    = 9223372036854775807
	MinInt    = -9223372036854775808
	MaxInt8   = 127
	MinInt8   = -128
	MaxInt16  = 32767
	MinInt16  = -32768
	MaxInt32  = 2147483647
	MinInt32  = -2147483648
	MaxInt64  = 9223372036854775807
	MinInt64  = -9223372036854775808
	MaxUint8  = 255
	MaxUint16 = 65535
	MaxUint32 = 4294967295
	MaxUint64 = 1<<64 - 1
	MaxUint   = 1<<64 - 1
	MaxFloat64             = 1.79769313486231570814527423731704356798070e+308
	SmallestNonzeroFloat64 = 4.9406564584124654417656879286822137236505980e-324
	MaxFloat32             = 3.40282346638528859811704183484516925440e+38
)

func NaN() float64
func Inf(sign int) float64
func IsNaN(f float64) bool
func IsInf(f float64, sign int) bool
func Signbit(x float64) bool
func Copysign(f, sign float64) float64
func Abs(x float64) float64
func Sqrt(x float64) float64
func Pow(x, y float64) float64
func Exp(x float64) float64
func Log(x float64) float64
func Log2(x float64) float64
func Log10(x float64) float64
func Sin(x float64) float64
func Cos(x float64) float64
func Tan(x float64) float64
func Atan(x float64) float64
func Atan2(y, x float64) float64
func Floor(x float64) float64
func Ceil(x float64) float64
func Trunc(x float64) float64
func Round(x float64) float64
func Mod(x, y float64) float64
func Max(x, y float64) float64
func Min(x, y float64) float64
func Hypot(p, q float64) float64
func Float64bits(f float64) uint64
func Float64frombits(b uint64) float64
func Float32bits(f float32) uint32
func Float32frombits(b uint32) float32
