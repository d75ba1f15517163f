package main

import "fmt"

// A panic in a goroutine other than main's ends the program with exit code
// 2, after what main printed before blocking.
func main() {
	done := make(chan bool)
	go func() {
		var m map[string]int
		fmt.Println("goroutine starts")
		m["x"] = 1
		done <- true
	}()
	fmt.Println("main waits")
	<-done
	fmt.Println("not reached")
}
