package main
import "fmt"
type Point struct {
X, Y int // coordinates
Name string `json:"name"`
	tags map[string]string
*fmt.Stringer
}
const (
A = iota // first
LongerName // second
	C int = 7
)
var (
x = 1
yy string = "two" // a comment
)
func main() {
m := map[string]int{
"one": 1,
"three": 3,
"seventeen":17,
}
p := Point{X: 1,
Y: 2,
Name: "p"}
fmt.Println(m, p, x, yy, A, LongerName, C)
}
