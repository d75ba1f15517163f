package hi

import "testing"

func TestHello(t *testing.T) {
	if got := Hello("x"); got != "Hello, x" {
		t.Fatalf("Hello(x) = %q", got)
	}
}
