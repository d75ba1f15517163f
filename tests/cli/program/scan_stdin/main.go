// Reads standard input with fmt.Scanln, fmt.Scanf and fmt.Scan, as first
// programs do: a count, a header line, then numbers until the end.
package main

import "fmt"

func main() {
	var count int
	var name string
	n, err := fmt.Scanln(&count, &name)
	fmt.Println("scanln:", n, err, count, name)
	var x, y int
	n, err = fmt.Scanf("%d,%d\n", &x, &y)
	fmt.Println("scanf:", n, err, x, y)
	sum := 0.0
	for {
		var v float64
		n, err := fmt.Scan(&v)
		if err != nil {
			fmt.Println("scan ended:", n, err)
			break
		}
		sum += v
	}
	fmt.Println("sum", sum)
}
