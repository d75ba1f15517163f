// A nanoservice's code: `greeting` and `times` are free, bound by the mesh
// (their types come from upstream).
// free-vars: greeting=string times=int
package main

func main() {
	for i := 0; i < times; i++ {
		println(greeting, i)
	}
}
