//go:build !extra

package tags

const mode = "default"
