package main

import (
	"fmt"
	"github.com/x/nosuch"
	alias "nosuch/pkg"
)

type wrapper struct {
	t nosuch.Thing
}

func use(t *nosuch.Thing) nosuch.Result { return t.Run() }

func main() {
	w := wrapper{t: nosuch.Thing{N: 1}}
	r := use(&w.t)
	var y alias.T = alias.New()
	fmt.Println(r.Value, y.Field, nosuch.Const+1)
	for _, v := range nosuch.List() {
		fmt.Println(v)
	}
	switch e := r.(type) {
	case nosuch.Err:
		fmt.Println(e)
	}
}
