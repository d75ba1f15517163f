package main

func main() {
	goToNetwork
	goToNetwork name
	goToNetwork 'ok'
}

func typeOutsideSwitch(x any) {
	y := x.(type)
	switch z := x.(type) {
	}
}
