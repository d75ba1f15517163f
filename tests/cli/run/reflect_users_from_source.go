// Packages compiled from Go's source that need reflect: encoding/binary
// (Read and Write of structs and slices walk them with reflect) and
// regexp; sort.Slice and errors.As through internal/reflectlite.
package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"regexp"
	"sort"
)

type Header struct {
	Magic   uint32
	Version uint16
	Flags   [2]uint8
	Size    int64
	Ratio   float32
}

type notFound struct{ name string }

func (e *notFound) Error() string { return e.name + " not found" }

type otherError struct{}

func (e *otherError) Error() string { return "other" }

func main() {
	var buf bytes.Buffer
	h := Header{Magic: 0xCAFEBABE, Version: 3, Flags: [2]uint8{1, 2}, Size: -42, Ratio: 0.5}
	if err := binary.Write(&buf, binary.BigEndian, h); err != nil {
		fmt.Println("write:", err)
	}
	fmt.Printf("%d % x\n", binary.Size(h), buf.Bytes())
	var back Header
	if err := binary.Read(bytes.NewReader(buf.Bytes()), binary.BigEndian, &back); err != nil {
		fmt.Println("read:", err)
	}
	fmt.Printf("%+v %v\n", back, back == h)
	nums := []uint16{1, 2, 3}
	buf.Reset()
	binary.Write(&buf, binary.LittleEndian, nums)
	fmt.Printf("% x\n", buf.Bytes())
	fmt.Println(binary.Write(&buf, binary.LittleEndian, map[int]int{}))

	re := regexp.MustCompile(`(\w+)@(\w+)\.com`)
	fmt.Println(re.FindAllStringSubmatch("ann@example.com, bob@test.com", -1))
	fmt.Println(re.ReplaceAllString("ann@example.com", "$2:$1"), re.NumSubexp(), re.String())

	people := []struct {
		Name string
		Age  int
	}{{"c", 30}, {"a", 25}, {"b", 35}}
	sort.Slice(people, func(i, j int) bool { return people[i].Age < people[j].Age })
	fmt.Println(people)

	var err error = fmt.Errorf("open: %w", &notFound{"x.txt"})
	var nf *notFound
	fmt.Println(errors.As(err, &nf), nf.name)
	var other *otherError
	fmt.Println(errors.As(err, &other))
}
