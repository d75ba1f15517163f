package calc

import (
	"fmt"
	"os"
	"testing"
)

func TestAdd(t *testing.T) {
	if got := Add(2, 3); got != 5 {
		t.Errorf("Add(2, 3) = %d, want 5", got)
	}
	t.Log("internal tests see unexported double:", double(4))
}

func TestHalfFails(t *testing.T) {
	if got := Half(-3); got != -1 {
		t.Errorf("Half(-3) = %d, want -1", got)
	}
	t.Logf("after the error the test goes on")
}

func TestSkipped(t *testing.T) {
	t.Skip("not on this machine")
	t.Error("never reached")
}

func TestSkipfNow(t *testing.T) {
	if !testing.Short() {
		t.Skipf("skipped with %d reason", 1)
	}
}

func TestFatalRunsDefers(t *testing.T) {
	defer func() {
		t.Log("second deferred call")
	}()
	defer func() {
		t.Log("first deferred call, recover gives", recover())
	}()
	t.Fatal("stop here")
	t.Log("never printed")
}

func TestSubtests(t *testing.T) {
	t.Run("one", func(t *testing.T) {
		t.Log("in one")
	})
	t.Run("two words", func(t *testing.T) {
		t.Error("two fails")
	})
	t.Run("one", func(t *testing.T) {
		t.Run("deep", func(t *testing.T) {
			t.Fatalf("deep fails at level %d", 3)
		})
		t.Log("after deep")
	})
	t.Log("parent goes on")
}

func checkPositive(t *testing.T, n int) {
	t.Helper()
	if n <= 0 {
		t.Errorf("%d is not positive", n)
	}
}

func checkBoth(t *testing.T, a, b int) {
	t.Helper()
	checkPositive(t, a)
	checkPositive(t, b)
}

func notAHelper(t *testing.T, n int) {
	if n <= 0 {
		t.Errorf("%d is not positive (no Helper)", n)
	}
}

func TestHelpers(t *testing.T) {
	checkPositive(t, 1)
	checkPositive(t, -1)
	checkBoth(t, 2, 0)
	notAHelper(t, -5)
	t.Run("sub", func(t *testing.T) {
		checkPositive(t, -2)
	})
}

func TestCleanupOrder(t *testing.T) {
	t.Cleanup(func() { fmt.Println("cleanup 1") })
	t.Cleanup(func() { fmt.Println("cleanup 2") })
	fmt.Println("body of", t.Name())
}

func TestEnvAndTempDir(t *testing.T) {
	t.Setenv("G2N_CALC_FIXTURE", "set")
	if got := os.Getenv("G2N_CALC_FIXTURE"); got != "set" {
		t.Errorf("Getenv = %q", got)
	}
	dir := t.TempDir()
	if dir == "" || dir == t.TempDir() {
		t.Errorf("TempDir gave %q twice", dir)
	}
}

func TestFailedAndName(t *testing.T) {
	if t.Failed() {
		t.Error("failed before anything")
	}
	t.Run("inner", func(t *testing.T) {
		if t.Name() != "TestFailedAndName/inner" {
			t.Errorf("Name() = %q", t.Name())
		}
	})
	if testing.Verbose() {
		t.Log("verbose")
	}
}

func BenchmarkAdd(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Add(i, i)
	}
}
