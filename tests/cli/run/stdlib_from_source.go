// Packages compiled from Go's own source (GOROOT): answers the hand-written
// versions got wrong (letter-numbers, non-ASCII punctuation, hex floats,
// underscores in literals with base 0), and the container packages.
package main

import (
	"container/heap"
	"container/list"
	"container/ring"
	"fmt"
	"math/bits"
	"strconv"
	"unicode"
	"unicode/utf8"
)

type intHeap []int

func (h intHeap) Len() int           { return len(h) }
func (h intHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h intHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *intHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *intHeap) Pop() any {
	old := *h
	n := len(old)
	x := old[n-1]
	*h = old[:n-1]
	return x
}

func main() {
	fmt.Println(unicode.IsLetter('Ⅷ'), unicode.IsNumber('Ⅷ'), unicode.IsDigit('Ⅷ'))
	fmt.Println(unicode.IsPunct('¿'), unicode.IsPunct('$'), unicode.IsSymbol('$'), unicode.IsSpace('\u0085'))
	fmt.Println(unicode.ToUpper('ß'), unicode.ToLower('Σ'), unicode.ToTitle('ǆ'), unicode.SimpleFold('K'))
	fmt.Println(unicode.Is(unicode.Han, '語'), unicode.In('λ', unicode.Latin, unicode.Greek), unicode.IsOneOf([]*unicode.RangeTable{unicode.Cyrillic}, 'ж'))
	fmt.Println(strconv.ParseInt("1_000", 0, 64))
	fmt.Println(strconv.ParseInt("1_000", 10, 64))
	fmt.Println(strconv.ParseFloat("0x1p-2", 64))
	fmt.Println(strconv.ParseFloat("_1", 64))
	fmt.Println(strconv.ParseFloat("1e400", 64))
	fmt.Println(strconv.ParseUint("18446744073709551615", 10, 64))
	fmt.Println(strconv.FormatFloat(0.1, 'b', -1, 64), strconv.FormatFloat(1.0/3, 'f', 5, 32), strconv.FormatFloat(1e21, 'e', 3, 64))
	fmt.Println(strconv.Quote("héllo\n\x00☺"), strconv.QuoteToASCII("héllo"), strconv.QuoteRune('☺'))
	s, err := strconv.Unquote(`"a\tb\u263a"`)
	fmt.Println(s, err)
	_, err = strconv.Atoi("12x")
	if e, ok := err.(*strconv.NumError); ok {
		fmt.Println(e.Func, e.Num, e.Err == strconv.ErrSyntax)
	}
	r, size := utf8.DecodeRuneInString("héllo"[1:])
	buf := make([]byte, 4)
	n := utf8.EncodeRune(buf, '語')
	fmt.Println(r, size, utf8.RuneCountInString("héllo"), utf8.ValidString("a\xffb"), buf[:n], utf8.FullRune(buf[:2]))
	hi, lo := bits.Mul64(1<<63, 6)
	fmt.Println(bits.LeadingZeros64(1), bits.OnesCount(255), bits.Reverse8(1), bits.Len(1023), hi, lo, bits.RotateLeft32(1, -1))
	l := list.New()
	l.PushBack(1)
	front := l.PushFront(0)
	l.PushBack(2)
	l.MoveToBack(front)
	for e := l.Front(); e != nil; e = e.Next() {
		fmt.Print(e.Value, " ")
	}
	fmt.Println(l.Len())
	rg := ring.New(3)
	for i := 0; i < 3; i++ {
		rg.Value = i * i
		rg = rg.Next()
	}
	rg.Do(func(v any) { fmt.Print(v, ";") })
	fmt.Println(rg.Len())
	h := &intHeap{5, 2, 8}
	heap.Init(h)
	heap.Push(h, 3)
	for h.Len() > 0 {
		fmt.Print(heap.Pop(h), " ")
	}
	fmt.Println()
}
