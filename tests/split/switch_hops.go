package main

import "fmt"

func classify(n int) string {
	if n < 0 {
		return "negative"
	}
	return "non-negative"
}

func main() {
	label := "start"
	score := 1.5
	seen := false
	for n := -2; n <= 4; n++ {
		switch {
		case n < 0:
			goToNetwork 'neg'
			label = classify(n)
			fmt.Println(n, label)
		case n == 0:
			goToNetwork 'zero'
			seen = true
			fallthrough
		case n == 1:
			goToNetwork 'small'
			score *= 2
			fmt.Println(n, "small", score, seen)
		default:
			switch n % 2 {
			case 0:
				goToNetwork 'even'
				fmt.Printf("%d even %.2f\n", n, score)
				if n == 4 {
					goToNetwork 'last'
					break
				}
				score += 0.25
			default:
				goToNetwork 'odd'
				fmt.Println(n, "odd", label)
			}
		}
	}
	goToNetwork 'done'
	fmt.Println("done", label, score, seen)
}
