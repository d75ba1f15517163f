// One interface call site that sees many dynamic types in turn (value and
// pointer receivers, a promoted method, a named basic type, methods whose
// names share a prefix), from several goroutines at once, and a nil
// interface after it has cached a type: each call reaches the method of the
// receiver's own type.
package main

import (
	"fmt"
	"sort"
	"strings"
)

type Namer interface{ Name() string }

type Dog struct{ n int }
type Cat struct{ n int }
type Celsius float64
type Word string
type Inner struct{ id int }
type Outer struct {
	Inner
	extra int
}
type Prefixed struct{}

func (d Dog) Name() string     { return fmt.Sprintf("dog%d", d.n) }
func (c *Cat) Name() string    { return fmt.Sprintf("cat%d", c.n) }
func (c Celsius) Name() string { return fmt.Sprintf("%.1fC", float64(c)) }
func (w Word) Name() string    { return strings.ToUpper(string(w)) }
func (i Inner) Name() string   { return fmt.Sprintf("inner%d", i.id) }
func (Prefixed) Na() string    { return "short" }
func (Prefixed) Name() string  { return "prefixed" }
func (Prefixed) NameX() string { return "long" }

// name is the one call site every value goes through.
func name(n Namer) string { return n.Name() }

func safeName(n Namer) (s string) {
	defer func() {
		if r := recover(); r != nil {
			s = fmt.Sprint("recovered: ", r)
		}
	}()
	return name(n)
}

func main() {
	values := []Namer{Dog{1}, &Cat{2}, Celsius(21.5), Word("go"), Outer{Inner{3}, 4}, Prefixed{}, Dog{5}, &Cat{6}}
	// Round and round: every call misses a one-entry cache.
	for round := 0; round < 3; round++ {
		var parts []string
		for _, v := range values {
			parts = append(parts, name(v))
		}
		fmt.Println(strings.Join(parts, " "))
	}
	// The same type many times, then another.
	total := 0
	for i := 0; i < 1000; i++ {
		total += len(name(Dog{i}))
	}
	fmt.Println("dogs", total, name(&Cat{7}))

	// A nil interface after the site has cached a type: Go's nil dereference.
	fmt.Println(safeName(Dog{8}))
	fmt.Println(safeName(nil))
	fmt.Println(safeName(Word("after")))

	// Several goroutines share the call site, each with its own types.
	results := make(chan string, 4)
	for g := 0; g < 4; g++ {
		go func(g int) {
			counts := map[string]int{}
			for i := 0; i < 2000; i++ {
				v := values[(i*(g+1)+g)%len(values)]
				counts[name(v)]++
			}
			keys := make([]string, 0, len(counts))
			for k := range counts {
				keys = append(keys, fmt.Sprintf("%s=%d", k, counts[k]))
			}
			sort.Strings(keys)
			results <- fmt.Sprintf("g%d %s", g, strings.Join(keys, ","))
		}(g)
	}
	var lines []string
	for g := 0; g < 4; g++ {
		lines = append(lines, <-results)
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Println(l)
	}

	// Assertions to an interface still look methods up by name and signature.
	var x interface{} = Prefixed{}
	if n, ok := x.(interface{ NameX() string }); ok {
		fmt.Println("asserted", n.NameX())
	}
	_, ok := x.(interface{ Nam() string })
	fmt.Println("Nam", ok)
}
