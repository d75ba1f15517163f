// sort.Sort and sort.Stable on user types, sort.Reverse and the slice
// types; crypto/md5 through hash.Hash and md5.Sum.
package main

import (
	"crypto/md5"
	"fmt"
	"hash"
	"io"
	"sort"
)

type person struct {
	name string
	age  int
}

type byAge []person

func (a byAge) Len() int           { return len(a) }
func (a byAge) Less(i, j int) bool { return a[i].age < a[j].age }
func (a byAge) Swap(i, j int)      { a[i], a[j] = a[j], a[i] }

// keyed sorts by key only, so that equal keys show how each sort orders ties.
type keyed struct {
	keys []int
	tags []int
}

func (k *keyed) Len() int           { return len(k.keys) }
func (k *keyed) Less(i, j int) bool { return k.keys[i] < k.keys[j] }
func (k *keyed) Swap(i, j int) {
	k.keys[i], k.keys[j] = k.keys[j], k.keys[i]
	k.tags[i], k.tags[j] = k.tags[j], k.tags[i]
}

func makeKeyed(n int) *keyed {
	k := &keyed{}
	seed := uint32(7)
	for i := 0; i < n; i++ {
		seed = seed*1103515245 + 12345
		k.keys = append(k.keys, int(seed>>16)%10)
		k.tags = append(k.tags, i)
	}
	return k
}

func main() {
	people := byAge{{"alice", 30}, {"bob", 25}, {"carol", 35}, {"dave", 25}, {"eve", 30}}
	sort.Sort(people)
	fmt.Println(people)
	sort.Sort(sort.Reverse(people))
	fmt.Println(people)
	fmt.Println(sort.IsSorted(people))

	for _, n := range []int{5, 20, 50, 200} {
		k := makeKeyed(n)
		sort.Sort(k)
		fmt.Println(n, sort.IsSorted(k), k.keys[:5], k.tags[:5])
		s := makeKeyed(n)
		sort.Stable(s)
		fmt.Println(n, sort.IsSorted(s), s.keys[:5], s.tags[:5])
	}

	ints := sort.IntSlice{5, 2, 9, 1}
	ints.Sort()
	fmt.Println(ints, ints.Search(5), sort.SearchInts(ints, 3))
	strs := []string{"pear", "apple", "fig"}
	sort.Sort(sort.StringSlice(strs))
	fmt.Println(strs, sort.StringsAreSorted(strs))
	fl := sort.Float64Slice{2.5, -1, 3}
	sort.Sort(sort.Reverse(fl))
	fmt.Println(fl, sort.Float64sAreSorted(fl))
	fmt.Println(sort.Search(1000, func(i int) bool { return i*i > 1000 }))
	fmt.Printf("%T %T\n", ints, sort.Reverse(ints))

	fmt.Printf("%x\n", md5.Sum(nil))
	fmt.Printf("%x\n", md5.Sum([]byte("The quick brown fox jumps over the lazy dog")))
	var h hash.Hash = md5.New()
	fmt.Println(h.Size(), h.BlockSize(), md5.Size, md5.BlockSize)
	data := make([]byte, 1000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	for _, chunk := range []int{1, 63, 64, 65, 500} {
		h.Reset()
		for i := 0; i < len(data); i += chunk {
			end := i + chunk
			if end > len(data) {
				end = len(data)
			}
			h.Write(data[i:end])
		}
		fmt.Printf("%d %x\n", chunk, h.Sum(nil))
	}
	sum := md5.Sum(data)
	fmt.Printf("%x %T %T\n", sum, sum, h)
	io.WriteString(h, "more")
	fmt.Printf("%x\n", h.Sum([]byte("prefix")))
}
