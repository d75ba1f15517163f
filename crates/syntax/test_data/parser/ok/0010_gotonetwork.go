package main

func main() {
	n := 3
	goToNetwork 'step-one'
	if n > 1 {
		goToNetwork "step-two"
	}
	for i := 0; i < n; i++ {
		goToNetwork 'loop-body'
	}
	switch n {
	case 3:
		goToNetwork 'x'
	}
}
