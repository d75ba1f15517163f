package main

func main() {
	m := map[string]int{"a" 1} // ERROR "syntax error: unexpected literal 1 in composite literal; possibly missing comma or \\}"
	_ = m
}
