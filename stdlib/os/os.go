// Package os declares the operating-system functions that g2n implements in its
// runtime. Bodiless functions are intrinsics.
package os

func Exit(code int)

// Args holds the command-line arguments, starting with the program name.
var Args []string
