package main

func main() {
	c := 'ab'
	goToNetwork 'fine-here'
}
