//go:build extra

package tags

import "testing"

// Built only with -tags extra.
func TestExtraOnly(t *testing.T) {
	if mode != "extra" {
		t.Errorf("mode = %q", mode)
	}
}
