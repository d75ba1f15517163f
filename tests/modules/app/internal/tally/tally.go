package tally

var total int

func Add(n int) int {
	total += n
	return total
}

func Total() int { return total }
