// main defers and hops: the deferred calls travel with the flow, in the
// hidden `%defers` slice, and run where the flow ends.
package main

func main() {
	msg := "bye"
	defer println(msg)
	goToNetwork 'second'
	defer println("first out")
	goToNetwork 'third'
	println("body")
}
