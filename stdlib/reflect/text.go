package reflect

import "internal/typedesc"

// Text helpers: reflect imports no strconv (as internal/reflectlite, which
// errors imports, is built on it), so they are internal/typedesc's.

// itoa is strconv.Itoa.
func itoa(n int) string { return typedesc.Itoa(n) }

// unquote is strconv.Unquote of a double-quoted string (a struct tag's
// value): Go's escapes, the string decoded; false when it is not valid.
func unquote(q string) (string, bool) { return typedesc.Unquote(q) }
