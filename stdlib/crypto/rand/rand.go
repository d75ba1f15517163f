// Package rand: a cryptographically secure random number generator, the
// kernel's getrandom(2) (crates/runtime/src/stdlib_rand.rs).
//
// g2n's own, for now: Go's source for linux falls back to opening
// /dev/urandom with os.Open, reads getrandom through
// internal/syscall/unix (whose linux files need syscall.Syscall and the
// stat structures), and arms a time.AfterFunc warning; g2n's os has only
// the standard streams. The functions are Go's API and behaviour.
package rand

import (
	"crypto/internal/randutil"
	"errors"
	"io"
	"math/big"
)

// getRandom fills b from getrandom(2), blocking until the kernel's pool is
// initialised, and returns 0 or minus the error number.
func getRandom(b []byte) int

// Reader is a global, shared instance of a cryptographically secure random
// number generator: on linux, getrandom(2).
var Reader io.Reader = &reader{}

type reader struct{}

func (r *reader) Read(b []byte) (n int, err error) {
	if errno := getRandom(b); errno != 0 {
		return 0, errors.New("crypto/rand: getrandom failed")
	}
	return len(b), nil
}

// Read is a helper function that calls Reader.Read using io.ReadFull. On
// return, n == len(b) if and only if err == nil.
func Read(b []byte) (n int, err error) {
	return io.ReadFull(Reader, b)
}

// Int returns a uniform random value in [0, max). It panics if max <= 0.
func Int(rand io.Reader, max *big.Int) (n *big.Int, err error) {
	if max.Sign() <= 0 {
		panic("crypto/rand: argument to Int is <= 0")
	}
	n = new(big.Int)
	n.Sub(max, n.SetUint64(1))
	// The bits of max-1: a draw of that many bits is below max at least
	// half the time, and one that is not is drawn again.
	bitLen := n.BitLen()
	if bitLen == 0 {
		return n, nil
	}
	buf := make([]byte, (bitLen+7)/8)
	top := uint(bitLen % 8)
	if top == 0 {
		top = 8
	}
	for {
		if _, err = io.ReadFull(rand, buf); err != nil {
			return nil, err
		}
		buf[0] &= uint8(int(1<<top) - 1)
		n.SetBytes(buf)
		if n.Cmp(max) < 0 {
			return n, nil
		}
	}
}

// Prime returns a number of the given bit length that is prime with high
// probability. Prime returns an error for any error returned by rand.Read
// or if bits < 2.
func Prime(rand io.Reader, bits int) (*big.Int, error) {
	if bits < 2 {
		return nil, errors.New("crypto/rand: prime size must be at least 2-bit")
	}
	// Go reads a byte or not at random first, so that no caller relies on
	// a prime that follows from its reader's bytes.
	randutil.MaybeReadByte(rand)
	top := uint(bits % 8)
	if top == 0 {
		top = 8
	}
	buf := make([]byte, (bits+7)/8)
	p := new(big.Int)
	for {
		if _, err := io.ReadFull(rand, buf); err != nil {
			return nil, err
		}
		// Only the number's own bits, its two top bits set (the product of
		// two such primes has twice the bits), and odd.
		buf[0] &= uint8(int(1<<top) - 1)
		if top >= 2 {
			buf[0] |= 3 << (top - 2)
		} else {
			buf[0] |= 1
			if len(buf) > 1 {
				buf[1] |= 0x80
			}
		}
		buf[len(buf)-1] |= 1
		p.SetBytes(buf)
		if p.ProbablyPrime(20) {
			return p, nil
		}
	}
}
