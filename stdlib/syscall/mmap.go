// Memory mappings: Mmap, Munmap, Mprotect and Getpagesize through the C
// library (crates/runtime/src/stdlib_syscall_mmap.rs). The mapped memory is
// outside the collected heap, as in Go: it lives until Munmap.
package syscall

import "unsafe"

const (
	PROT_NONE  = 0x0
	PROT_READ  = 0x1
	PROT_WRITE = 0x2
	PROT_EXEC  = 0x4

	MAP_SHARED    = 0x1
	MAP_PRIVATE   = 0x2
	MAP_FIXED     = 0x10
	MAP_ANON      = 0x20
	MAP_ANONYMOUS = 0x20
)

// mmap maps length bytes and returns their address, or minus the error
// number.
func mmap(fd int, offset int64, length int, prot int, flags int) int
func munmap(b []byte) int
func mprotect(b []byte, prot int) int
func getpagesize() int

// Getpagesize returns the size of a memory page.
func Getpagesize() int {
	return getpagesize()
}

// Mmap maps length bytes of the file fd from offset (or anonymous memory)
// and returns them as a slice.
func Mmap(fd int, offset int64, length int, prot int, flags int) (data []byte, err error) {
	if length <= 0 {
		return nil, EINVAL
	}
	addr := mmap(fd, offset, length, prot, flags)
	if addr < 0 {
		return nil, errnoErr(-addr)
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(uintptr(addr))), length), nil
}

// Munmap unmaps the memory of a slice Mmap returned (up to its capacity).
func Munmap(b []byte) error {
	if cap(b) == 0 {
		return EINVAL
	}
	if e := munmap(b); e != 0 {
		return errnoErr(-e)
	}
	return nil
}

// Mprotect sets the protection of the pages b covers.
func Mprotect(b []byte, prot int) error {
	if e := mprotect(b, prot); e != 0 {
		return errnoErr(-e)
	}
	return nil
}
