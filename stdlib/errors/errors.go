// Package errors: implemented by the runtime (crates/runtime/src/stdlib.rs).
package errors

func New(text string) error
