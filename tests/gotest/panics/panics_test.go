package panics

import "testing"

func TestBefore(t *testing.T) {}

func TestPanics(t *testing.T) {
	defer t.Log("deferred before the panic")
	t.Run("inner", func(t *testing.T) {
		var m map[string]int
		m["x"] = 1
	})
}

func TestAfter(t *testing.T) {}
