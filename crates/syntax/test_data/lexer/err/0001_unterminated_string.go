package main
func main() {
	s := "no end
	t := 1
}
