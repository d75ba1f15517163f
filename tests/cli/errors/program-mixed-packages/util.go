package util

func helper() string {
	return "x"
}
