// Package sig: g2n's own crypto/internal/boring/sig. Go's declares three
// functions whose bodies are assembly (sig_other.s: each a bare RET); they
// mark a binary as built with or without BoringCrypto, for tools that read
// the executable, and do nothing when called. crypto/internal/boring calls
// StandardCrypto from Unreachable, which every pure-Go hash's New calls
// (crypto/sha256), so the functions must exist and return.
package sig

// BoringCrypto indicates that the BoringCrypto module is present.
func BoringCrypto() {}

// FIPSOnly indicates that package crypto/tls/fipsonly is present.
func FIPSOnly() {}

// StandardCrypto indicates that standard Go crypto is present.
func StandardCrypto() {}
