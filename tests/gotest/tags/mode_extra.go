//go:build extra

package tags

const mode = "extra"
