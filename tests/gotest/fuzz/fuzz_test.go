package fuzz

import (
	"fmt"
	"testing"
)

func TestReverse(t *testing.T) {
	if got := Reverse("abc"); got != "cba" {
		t.Errorf("Reverse(abc) = %q", got)
	}
}

// FuzzReverse: seeds from F.Add, then the files of testdata/fuzz/FuzzReverse.
func FuzzReverse(f *testing.F) {
	f.Add("hello")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		if Reverse(Reverse(s)) != s {
			t.Errorf("not an involution on %q", s)
		}
		t.Logf("reversed %q", Reverse(s))
	})
}

// FuzzTypes takes every kind of value a corpus file can spell.
func FuzzTypes(f *testing.F) {
	f.Add([]byte("x"), 3, uint8(4), 'r', 1.5, true, int8(-8), uint64(1<<40), float32(0.5))
	f.Fuzz(func(t *testing.T, b []byte, n int, c byte, r rune, x float64, ok bool, i8 int8, u64 uint64, f32 float32) {
		t.Log(fmt.Sprintf("%q %d %q %q %v %v %d %d %v", b, n, c, r, x, ok, i8, u64, f32))
	})
}

// FuzzHalf fails on one of its seeds.
func FuzzHalf(f *testing.F) {
	for _, n := range []int{4, 7, 10} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n int) {
		if _, ok := Half(n); !ok {
			t.Fatalf("%d is odd", n)
		}
	})
}

// FuzzSkipped is skipped before it calls Fuzz.
func FuzzSkipped(f *testing.F) {
	f.Skip("nothing to fuzz today")
}

func addSeeds(f *testing.F, seeds ...string) {
	f.Helper()
	for _, s := range seeds {
		f.Add(s)
	}
	f.Logf("added %d seeds", len(seeds))
}

// FuzzHelpers: an F helper, a cleanup, a seed that skips itself, a subtest.
func FuzzHelpers(f *testing.F) {
	f.Cleanup(func() { fmt.Println("cleanup of", f.Name()) })
	addSeeds(f, "keep", "skip me", "run")
	f.Fuzz(func(t *testing.T, s string) {
		if s == "skip me" {
			t.Skip("skipping", s)
		}
		if s == "run" {
			t.Run("inner", func(t *testing.T) {
				t.Log("inside", t.Name())
			})
		}
		if t.Failed() || f.Failed() {
			t.Error("failed already")
		}
	})
}

// FuzzMismatch adds a seed of the wrong type.
func FuzzMismatch(f *testing.F) {
	f.Add("text")
	f.Fuzz(func(t *testing.T, n int) {})
}

// FuzzMalformed has a corpus file that does not decode.
func FuzzMalformed(f *testing.F) {
	f.Fuzz(func(t *testing.T, n int) {
		t.Log("ran", n)
	})
}
