package main

func main() {
	for {
		func() {
			break // ERROR "break is not in a loop, switch, or select"
		}()
	}
}
