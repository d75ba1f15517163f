package main

import f "fmt" // ERROR "imported and not used: \"fmt\" as f"

func main() {
}
