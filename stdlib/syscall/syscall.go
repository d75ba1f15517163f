// Package syscall is g2n's own: the few system calls the packages compiled
// from Go's source need (time reads zone files with Open, Read, Seek and
// Close and its environment with Getenv), made by the runtime through the C
// library. Go's syscall is bound to its runtime's raw system calls.
//
// A call blocks the flow's thread while it runs (files, not sockets: a read
// of a regular file does not wait for anyone).
package syscall

// An Errno is an error number of the system (errno).
type Errno uintptr

func (e Errno) Error() string {
	return errorText(int(e))
}

// Timeout reports whether the error is a timeout, as Go's does.
func (e Errno) Timeout() bool {
	return e == EAGAIN || e == ETIMEDOUT
}

// Temporary reports whether trying again may succeed, as Go's does.
func (e Errno) Temporary() bool {
	return e == EINTR || e == EMFILE || e == ENFILE || e.Timeout()
}

// The error numbers of Linux.
const (
	EPERM     Errno = 1
	ENOENT    Errno = 2
	EINTR     Errno = 4
	EIO       Errno = 5
	EBADF     Errno = 9
	EAGAIN    Errno = 11
	ENOMEM    Errno = 12
	EACCES    Errno = 13
	EEXIST    Errno = 17
	ENOTDIR   Errno = 20
	EISDIR    Errno = 21
	EINVAL    Errno = 22
	ENFILE    Errno = 23
	EMFILE    Errno = 24
	ENOSPC    Errno = 28
	ESPIPE    Errno = 29
	ERANGE    Errno = 34
	ENOSYS    Errno = 38
	ETIMEDOUT Errno = 110
)

// Flags of Open (Linux's values).
const (
	O_RDONLY  = 0x0
	O_WRONLY  = 0x1
	O_RDWR    = 0x2
	O_CREAT   = 0x40
	O_EXCL    = 0x80
	O_TRUNC   = 0x200
	O_APPEND  = 0x400
	O_CLOEXEC = 0x80000
)

// The standard streams' descriptors.
const (
	Stdin  = 0
	Stdout = 1
	Stderr = 2
)

// A Signal is a signal number.
type Signal int

func (s Signal) Signal() {}

func (s Signal) String() string {
	switch s {
	case SIGHUP:
		return "hangup"
	case SIGINT:
		return "interrupt"
	case SIGKILL:
		return "killed"
	case SIGTERM:
		return "terminated"
	case SIGCHLD:
		return "child exited"
	}
	return "signal " + itoa(int(s))
}

// Signals of Linux.
const (
	SIGHUP  Signal = 1
	SIGINT  Signal = 2
	SIGKILL Signal = 9
	SIGTERM Signal = 15
	SIGCHLD Signal = 17
)

// The runtime's calls: each returns its result, or minus the error number.
func open(path string, mode int, perm uint32) int
func read(fd int, p []byte) int
func write(fd int, p []byte) int
func seek(fd int, offset int64, whence int) int64
func closeFd(fd int) int
func getpid() int
func kill(pid int, sig int) int
func getenv(key string) string
func hasEnv(key string) bool

// errorText is the C library's message for errno e with its first letter
// lowered, as Go's table has it ("no such file or directory").
func errorText(e int) string

// errnoErr is nil for 0 and the Errno otherwise.
func errnoErr(e int) error {
	if e == 0 {
		return nil
	}
	return Errno(e)
}

// Open opens the file path with flags mode (O_RDONLY ...) and, when it
// creates it, permissions perm.
func Open(path string, mode int, perm uint32) (fd int, err error) {
	r := open(path, mode, perm)
	if r < 0 {
		return -1, errnoErr(-r)
	}
	return r, nil
}

// Read reads up to len(p) bytes; n is -1 on an error, as in Go.
func Read(fd int, p []byte) (n int, err error) {
	r := read(fd, p)
	if r < 0 {
		return -1, errnoErr(-r)
	}
	return r, nil
}

// Write writes p; n is -1 on an error, as in Go.
func Write(fd int, p []byte) (n int, err error) {
	r := write(fd, p)
	if r < 0 {
		return -1, errnoErr(-r)
	}
	return r, nil
}

// Seek sets the offset of fd (whence 0: from the start, 1: from the
// current offset, 2: from the end) and returns the new offset.
func Seek(fd int, offset int64, whence int) (off int64, err error) {
	r := seek(fd, offset, whence)
	if r < 0 {
		return -1, errnoErr(int(-r))
	}
	return r, nil
}

// Close closes fd.
func Close(fd int) error {
	return errnoErr(-closeFd(fd))
}

// Getpid returns the process id.
func Getpid() int {
	return getpid()
}

// Kill sends sig to the process pid.
func Kill(pid int, sig Signal) error {
	return errnoErr(-kill(pid, int(sig)))
}

// Getenv returns the environment variable key's value and whether it is
// set.
func Getenv(key string) (value string, found bool) {
	if !hasEnv(key) {
		return "", false
	}
	return getenv(key), true
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
