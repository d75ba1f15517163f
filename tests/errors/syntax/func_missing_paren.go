package main

func main( { // ERROR "syntax error: unexpected \\{, expecting \\)"
}
