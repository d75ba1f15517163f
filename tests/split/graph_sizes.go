package main

import "fmt"

type Item struct {
	ID   int
	Name string
	Tags []string
}

// One large backing array seen through three slices, and fifty structs
// reachable both from a slice and from a map: each object travels once.
func main() {
	data := make([]int, 1000)
	for i := range data {
		data[i] = i * i
	}
	evens := data[:500]
	odds := data[500:]
	items := []*Item{}
	index := map[string]*Item{}
	common := []string{"shared", "tags"}
	for i := 0; i < 50; i++ {
		it := &Item{ID: i, Name: fmt.Sprint("item", i), Tags: common}
		items = append(items, it)
		index[it.Name] = it
	}
	goToNetwork 'far'
	index["item7"].ID = -7
	evens[1] = -1
	common[0] = "changed"
	fmt.Println(len(data), data[1], evens[499], odds[0], items[7].ID, len(index), items[3].Tags)
	goToNetwork 'back'
	sum := 0
	for _, v := range odds {
		sum += v
	}
	fmt.Println(sum, items[49].Name, index["item49"] == items[49], items[0].Tags[0])
}
