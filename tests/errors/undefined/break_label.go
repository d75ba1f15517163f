package main

func main() {
	for {
		break L // ERROR "break label not defined: L"
	}
}
