package words

const Salute = "Hello"

var calls int

func Extra() int {
	calls++
	return calls * 100
}

func Calls() int { return calls }
