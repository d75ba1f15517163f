// syscall.Mmap, Mprotect and Munmap (bytes' boundary tests put a slice
// against a PROT_NONE page to catch reads past its end).
package main

import (
	"bytes"
	"fmt"
	"syscall"
)

func main() {
	page := syscall.Getpagesize()
	fmt.Println(page > 0, page%4096 == 0)
	b, err := syscall.Mmap(0, 0, 3*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANONYMOUS|syscall.MAP_PRIVATE)
	fmt.Println(len(b) == 3*page, cap(b) == 3*page, err)
	fmt.Println(syscall.Mprotect(b[:page], syscall.PROT_NONE), syscall.Mprotect(b[2*page:], syscall.PROT_NONE))
	mid := b[page : 2*page]
	for i := range mid {
		mid[i] = 'a'
	}
	tail := mid[page-5:]
	copy(tail, "hello")
	fmt.Println(string(tail), bytes.Index(tail, []byte("lo")), bytes.IndexByte(tail, 'z'), bytes.Equal(tail, []byte("hello")), bytes.Count(mid, []byte("a")))
	fmt.Println(syscall.Munmap(b), syscall.Munmap(nil))
	_, err = syscall.Mmap(0, 0, 0, syscall.PROT_READ, syscall.MAP_ANONYMOUS|syscall.MAP_PRIVATE)
	fmt.Println(err)
	_, err = syscall.Mmap(-1, 0, page, syscall.PROT_READ, syscall.MAP_SHARED)
	fmt.Println(err)
}
