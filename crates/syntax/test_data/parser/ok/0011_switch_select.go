package main

func main() {
	switch v := x.(type) {
	case int, int64:
		_ = v
	case *T, []string, map[string]int, func() error:
	case nil:
	default:
	}
	switch x.(type) {
	}
	select {
	case v := <-ch:
		_ = v
	case v, ok := <-ch:
	case ch <- 1:
	case <-done:
	default:
	}
}
