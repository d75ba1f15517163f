package runtime

// Error is the type of the panics the runtime raises (an index out of
// range, a nil dereference, a failed type assertion, ...): what recover
// returns for them implements it (crates/runtime/src/stdlib.rs).
type Error interface {
	error
	// RuntimeError marks the type; it does nothing.
	RuntimeError()
}
