package main

import "fmt"

func main() {
	total := 0
	for i, c := range "héllo" {
		goToNetwork 'a'
		total += i + int(c)
		switch c % 3 {
		case 0:
			goToNetwork 'b'
			fmt.Println("zero", c)
		default:
			goToNetwork 'c'
			fmt.Println("other", c)
		}
	}
	fmt.Println(total)
}
