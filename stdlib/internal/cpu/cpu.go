// Package cpu: g2n's own internal/cpu. Go's detects the processor's
// features at start-up for its assembly routines; g2n compiles no assembly
// (internal/bytealg and the other packages that read these flags take their
// pure-Go files), so every feature reads false. The structs keep Go's
// fields, padding included, so unsafe.Offsetof of a field is Go's.
package cpu

// CacheLinePadSize is the size of a cache line on amd64.
const CacheLinePadSize = 64

// CacheLinePad is used to pad structs to avoid false sharing.
type CacheLinePad struct{ _ [CacheLinePadSize]byte }

// CacheLineSize is the CPU's assumed cache line size.
var CacheLineSize uintptr = CacheLinePadSize

type x86 struct {
	_            CacheLinePad
	HasAES       bool
	HasADX       bool
	HasAVX       bool
	HasAVX2      bool
	HasBMI1      bool
	HasBMI2      bool
	HasERMS      bool
	HasFMA       bool
	HasOSXSAVE   bool
	HasPCLMULQDQ bool
	HasPOPCNT    bool
	HasRDTSCP    bool
	HasSSE3      bool
	HasSSE41     bool
	HasSSE42     bool
	HasSSSE3     bool
	_            CacheLinePad
}

// X86 holds the x86 features; all false under g2n.
var X86 = x86{}

type arm64 struct {
	_            CacheLinePad
	HasAES       bool
	HasPMULL     bool
	HasSHA1      bool
	HasSHA2      bool
	HasSHA512    bool
	HasCRC32     bool
	HasATOMICS   bool
	HasCPUID     bool
	IsNeoverseN1 bool
	IsZeus       bool
	_            CacheLinePad
}

// ARM64 holds the arm64 features; all false under g2n.
var ARM64 = arm64{}

type s390x struct {
	_         CacheLinePad
	HasZARCH  bool
	HasSTFLE  bool
	HasLDISP  bool
	HasEIMM   bool
	HasDFP    bool
	HasETF3EH bool
	HasMSA    bool
	HasAES    bool
	HasAESCBC bool
	HasAESCTR bool
	HasAESGCM bool
	HasGHASH  bool
	HasSHA1   bool
	HasSHA256 bool
	HasSHA512 bool
	HasSHA3   bool
	HasVX     bool
	HasVXE    bool
	HasKDSA   bool
	HasECDSA  bool
	HasEDDSA  bool
	_         CacheLinePad
}

// S390X holds the s390x features; all false under g2n.
var S390X = s390x{}

type ppc64 struct {
	_         CacheLinePad
	HasDARN   bool
	HasSCV    bool
	IsPOWER8  bool
	IsPOWER9  bool
	IsPOWER10 bool
	_         CacheLinePad
}

// PPC64 holds the ppc64 features; all false under g2n.
var PPC64 = ppc64{}
