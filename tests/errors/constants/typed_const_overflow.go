package main

const c int8 = 200 // ERROR "cannot use 200 \\(untyped int constant\\) as int8 value in constant declaration \\(overflows\\)"

func main() {

}
