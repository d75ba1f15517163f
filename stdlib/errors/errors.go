// Package errors: New is implemented by the runtime
// (crates/runtime/src/stdlib.rs); Unwrap, Is and As follow Go 1.19's, with
// the runtime standing in for reflectlite.
package errors

func New(text string) error

// Unwrap returns the result of calling the Unwrap method on err, if err's
// type contains an Unwrap method returning error. Otherwise, Unwrap
// returns nil.
func Unwrap(err error) error {
	u, ok := err.(interface{ Unwrap() error })
	if !ok {
		return nil
	}
	return u.Unwrap()
}

// Is reports whether any error in err's chain matches target: an error
// equal to target, or one whose Is(target) method reports true.
func Is(err, target error) bool {
	if target == nil {
		return err == target
	}
	isComparable := comparableValue(target)
	for {
		if isComparable && err == target {
			return true
		}
		if x, ok := err.(interface{ Is(error) bool }); ok && x.Is(target) {
			return true
		}
		if err = Unwrap(err); err == nil {
			return false
		}
	}
}

// As finds the first error in err's chain that matches target, and if one
// is found, sets target to that error value and returns true. An error
// matches when its dynamic type is assignable to *target's type, or when
// its As(target) method reports true.
func As(err error, target any) bool {
	if target == nil {
		panic("errors: target cannot be nil")
	}
	switch asTarget(target) {
	case 1:
		panic("errors: target must be a non-nil pointer")
	case 2:
		panic("errors: *target must be interface or implement error")
	}
	for err != nil {
		if assign(err, target) {
			return true
		}
		if x, ok := err.(interface{ As(any) bool }); ok && x.As(target) {
			return true
		}
		err = Unwrap(err)
	}
	return false
}

// comparableValue reports whether v's dynamic type is comparable.
func comparableValue(v any) bool

// asTarget checks the target of As: 0 when it is a non-nil pointer to an
// interface type or to a type implementing error, 1 when it is not a
// non-nil pointer, 2 otherwise.
func asTarget(target any) int

// assign stores err in *target when err's dynamic type is assignable to
// *target's type, and reports whether it did.
func assign(err error, target any) bool
