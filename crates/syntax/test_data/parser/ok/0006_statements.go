package main

func main() {
	x := 1
	a, b := 2, 3
	x = 4
	a, b = b, a
	x += 1
	x <<= 2
	x &^= 1
	x++
	b--
	f()
	{
		nested := true
	}
	if x > 1 {
		x = 0
	} else if y := x * 2; y < 10 {
		x = y
	} else {
		x = -1
	}
	for {
		break
	}
	for x < 10 {
		x++
	}
	for i := 0; i < 10; i++ {
		continue
	}
	for ; ; {
	}
	for i, v := range xs {
		_ = i + v
	}
	for k = range m {
	}
	for range ch {
	}
outer:
	for {
		for {
			break outer
			continue outer
		}
	}
	switch x {
	case 1, 2:
		f()
		fallthrough
	case 3:
	default:
		g()
	}
	switch y := x; {
	case y > 1:
	}
	switch {
	}
	go worker(ch)
	defer cleanup()
	defer func() { recover() }()
	ch <- 1
	v := <-ch
	goto end
end:
	return
}
