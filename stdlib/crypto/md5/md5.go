// Package crypto/md5 implements the MD5 hash algorithm as defined in RFC
// 1321, in the dialect (after Go's crypto/md5, with the rounds as loops
// over tables instead of Go's generated unrolled code).
package md5

import "hash"

// The size of an MD5 checksum in bytes.
const Size = 16

// The blocksize of MD5 in bytes.
const BlockSize = 64

const (
	init0 = 0x67452301
	init1 = 0xEFCDAB89
	init2 = 0x98BADCFE
	init3 = 0x10325476
)

// shifts are the per-step left rotations (RFC 1321, 3.4).
var shifts = [64]uint32{
	7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
	5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
	4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
	6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
}

// table holds floor(abs(sin(i+1)) * 2^32) for each step (RFC 1321, 3.4).
var table = [64]uint32{
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
}

// digest represents the partial evaluation of a checksum.
type digest struct {
	s   [4]uint32
	x   [BlockSize]byte
	nx  int
	len uint64
}

func (d *digest) Reset() {
	d.s[0] = init0
	d.s[1] = init1
	d.s[2] = init2
	d.s[3] = init3
	d.nx = 0
	d.len = 0
}

// New returns a new hash.Hash computing the MD5 checksum.
func New() hash.Hash {
	d := new(digest)
	d.Reset()
	return d
}

func (d *digest) Size() int { return Size }

func (d *digest) BlockSize() int { return BlockSize }

func (d *digest) Write(p []byte) (nn int, err error) {
	nn = len(p)
	d.len += uint64(nn)
	if d.nx > 0 {
		n := copy(d.x[d.nx:], p)
		d.nx += n
		if d.nx == BlockSize {
			blockGeneric(d, d.x[:])
			d.nx = 0
		}
		p = p[n:]
	}
	if len(p) >= BlockSize {
		n := len(p) &^ (BlockSize - 1)
		blockGeneric(d, p[:n])
		p = p[n:]
	}
	if len(p) > 0 {
		d.nx = copy(d.x[:], p)
	}
	return
}

func (d *digest) Sum(in []byte) []byte {
	// Make a copy of d so that caller can keep writing and summing.
	d0 := *d
	hash := d0.checkSum()
	return append(in, hash[:]...)
}

func (d *digest) checkSum() [Size]byte {
	// 1 byte end marker :: 0-63 padding bytes :: 8 byte length in bits.
	tmp := [1 + 63 + 8]byte{0x80}
	pad := (55 - d.len) % 64
	putUint64(tmp[1+pad:], d.len<<3)
	d.Write(tmp[:1+pad+8])
	if d.nx != 0 {
		panic("d.nx != 0")
	}
	var digest [Size]byte
	putUint32(digest[0:], d.s[0])
	putUint32(digest[4:], d.s[1])
	putUint32(digest[8:], d.s[2])
	putUint32(digest[12:], d.s[3])
	return digest
}

// Sum returns the MD5 checksum of the data.
func Sum(data []byte) [Size]byte {
	var d digest
	d.Reset()
	d.Write(data)
	return d.checkSum()
}

// putUint32 stores v little-endian in b[0:4].
func putUint32(b []byte, v uint32) {
	b[0] = byte(v)
	b[1] = byte(v >> 8)
	b[2] = byte(v >> 16)
	b[3] = byte(v >> 24)
}

// putUint64 stores v little-endian in b[0:8].
func putUint64(b []byte, v uint64) {
	putUint32(b, uint32(v))
	putUint32(b[4:], uint32(v>>32))
}

// blockGeneric hashes each whole 64-byte block of p into dig.s.
func blockGeneric(dig *digest, p []byte) {
	a, b, c, d := dig.s[0], dig.s[1], dig.s[2], dig.s[3]
	var x [16]uint32
	for i := 0; i <= len(p)-BlockSize; i += BlockSize {
		q := p[i : i+BlockSize]
		for j := 0; j < 16; j++ {
			x[j] = uint32(q[4*j]) | uint32(q[4*j+1])<<8 | uint32(q[4*j+2])<<16 | uint32(q[4*j+3])<<24
		}
		aa, bb, cc, dd := a, b, c, d
		for j := 0; j < 64; j++ {
			var f uint32
			var g int
			switch {
			case j < 16:
				f = (b & c) | (^b & d)
				g = j
			case j < 32:
				f = (d & b) | (^d & c)
				g = (5*j + 1) % 16
			case j < 48:
				f = b ^ c ^ d
				g = (3*j + 5) % 16
			default:
				f = c ^ (b | ^d)
				g = (7 * j) % 16
			}
			f = f + a + table[j] + x[g]
			a = d
			d = c
			c = b
			s := shifts[j]
			b = b + (f<<s | f>>(32-s))
		}
		a += aa
		b += bb
		c += cc
		d += dd
	}
	dig.s[0], dig.s[1], dig.s[2], dig.s[3] = a, b, c, d
}
