// Go's syscall package, compiled from source on the runtime's raw system
// call: the calls Go's time package makes to read zone files (Open, Read, Seek, Close), Errno's messages, and
// Getenv.
package main

import (
	"fmt"
	"syscall"
)

func main() {
	_, err := syscall.Open("/nonexistent/g2n", syscall.O_RDONLY, 0)
	fmt.Println(err, err == syscall.ENOENT)
	fd, err := syscall.Open("/usr/share/zoneinfo/UTC", syscall.O_RDONLY, 0)
	fmt.Println(fd > 2, err)
	buf := make([]byte, 4)
	n, err := syscall.Read(fd, buf)
	fmt.Println(n, err, string(buf[:n]))
	end, err := syscall.Seek(fd, 0, 2)
	fmt.Println(end > 4, err)
	off, err := syscall.Seek(fd, 1, 0)
	n, _ = syscall.Read(fd, buf[:3])
	fmt.Println(off, err, string(buf[:n]))
	fmt.Println(syscall.Close(fd), syscall.Close(fd))
	n, err = syscall.Read(-1, buf)
	fmt.Println(n, err, err.(syscall.Errno).Temporary(), err.(syscall.Errno).Timeout())
	_, err = syscall.Open("/", syscall.O_WRONLY, 0)
	fmt.Println(err)
	_, err = syscall.Open("a\x00b", syscall.O_RDONLY, 0)
	fmt.Println(err)
	v, ok := syscall.Getenv("G2N_SYSCALL_UNSET_VARIABLE")
	fmt.Printf("%q %v\n", v, ok)
	_, ok = syscall.Getenv("PATH")
	fmt.Println(ok, syscall.Getpid() > 0, syscall.EACCES, syscall.EAGAIN.Temporary(), syscall.SIGINT)
}
