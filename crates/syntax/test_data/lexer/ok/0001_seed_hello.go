package main
func main() {
  hello := "Hello"
  goToNetwork 'print-hello-world'
}
