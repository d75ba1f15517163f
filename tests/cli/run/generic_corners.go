// Corners of generics and statements: a parallel assignment as a for post
// statement, mutually recursive generic types, blank receiver type
// parameters, a generic signature that instantiates a type with methods,
// inference that ignores untyped nil, and assertions an instance can never
// satisfy.
package main

import "fmt"

type Elem[T any] struct {
	next *Elem[T]
	list *List[T]
	Val  T
}

type List[T any] struct {
	root Elem[T]
	n    int
}

func (l *List[_]) Len() int { return l.n }

func (l *List[T]) Push(v T) {
	e := &Elem[T]{Val: v, list: l, next: l.root.next}
	l.root.next = e
	l.n++
}

func (e *Elem[T]) Next() *Elem[T] {
	if e.next != nil && e.next.list == e.list {
		return e.next
	}
	return nil
}

type Option[T any] struct {
	ok  bool
	val T
}

func (o Option[T]) String() string {
	if o.ok {
		return fmt.Sprintf("Some(%v)", o.val)
	}
	return "None"
}

func Some[T any](v T) Option[T] { return Option[T]{ok: true, val: v} }

func Reduce[T, A any](s []T, init A, f func(A, T) A) A {
	acc := init
	for _, v := range s {
		acc = f(acc, v)
	}
	return acc
}

type stringer interface{ String() string }

func Is[T any](x any) bool {
	_, ok := x.(T)
	switch x.(type) {
	case T:
		return ok
	}
	return false
}

func main() {
	for i, j := 0, 10; i < j; i, j = i+1, j-2 {
		fmt.Println(i, j)
	}
	l := &List[string]{}
	l.Push("a")
	l.Push("b")
	for e := l.root.next; e != nil; e = e.Next() {
		fmt.Println(e.Val, l.Len())
	}
	fmt.Println(Some(3), Some("x"), Option[int]{})
	fmt.Println(Reduce([]int{1, 2, 3}, nil, func(acc []int, v int) []int { return append(acc, v*v) }))
	fmt.Println(Is[int](3), Is[string](3), Is[stringer](Some(1)))
}
