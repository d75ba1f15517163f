// Package tags builds differently under `-tags extra`: which file declares
// mode depends on the tag.
package tags

// Mode says which of mode_default.go and mode_extra.go was built.
func Mode() string { return mode }
