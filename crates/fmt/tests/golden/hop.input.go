package main
import "fmt"
func main() {
    greeting := "Hello"
    count:=3
    goToNetwork 'print-hello-world'  // the rest runs there
    for i:=0;i<count;i++ {
        fmt.Printf("%s World!\n", greeting)
    }
    goToNetwork "done"
}
