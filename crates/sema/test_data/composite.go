// Composite values: structs with embedding and methods (value, pointer and
// promoted), arrays, slices and slicing, maps, strings, new and copy.
package main

type Base struct{ ID int }

func (b Base) Describe() string { return "base" }

type Item struct {
	Base
	Name  string
	Tags  []string
	Score [3]int
}

func (it *Item) Rename(name string) { it.Name = name }

func main() {
	it := Item{Base: Base{ID: 7}, Name: "a", Tags: []string{"x", "y"}}
	it.Rename("b")
	it.Score[1] = 5
	p := &it
	p.Score[2] = it.Score[1] + p.ID
	arr := [4]int{1, 2, 3, 4}
	s := arr[1:3]
	s = append(s, 9)
	t := make([]int, 2, 8)
	n := copy(t, s)
	more := append(t, s...)
	m := map[string]int{"a": 1}
	m["b"] = 2
	v, ok := m["c"]
	delete(m, "a")
	for key, value := range m {
		println(key, value)
	}
	str := "héllo"
	b := str[1]
	sub := str[1:3]
	q := new(int)
	*q = len(more) + cap(t) + len(m) + len(str)
	println(it.Describe(), p.Name, s[0], n, v, ok, b, sub, *q, len(it.Tags))
}
