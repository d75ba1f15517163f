// path compiled from Go's source: Clean, Join, Split, Base, Dir, Ext,
// IsAbs and Match, including Match's ErrBadPattern.
package main

import (
	"fmt"
	"path"
)

func main() {
	for _, p := range []string{"", "a//b/./c/..", "/../x", "abc/def/../../..", "../../a/b", "/", "a/b/"} {
		fmt.Printf("Clean(%q) = %q\n", p, path.Clean(p))
	}
	fmt.Println(path.Join("a", "", "b/c", "../d"), path.Join(), path.Join("", ""), path.Join("/", "x"))
	dir, file := path.Split("static/myfile.css")
	fmt.Printf("%q %q\n", dir, file)
	for _, p := range []string{"/a/b.tar.gz", "", "/", "x/", "noext"} {
		fmt.Printf("Base=%q Dir=%q Ext=%q IsAbs=%v\n", path.Base(p), path.Dir(p), path.Ext(p), path.IsAbs(p))
	}
	patterns := []struct{ pattern, name string }{
		{"*.go", "main.go"},
		{"a/*/c", "a/b/c"},
		{"a/*/c", "a/b/d/c"},
		{"[a-c]?x", "bzx"},
		{"[^a-c]x", "dx"},
		{"\\*", "*"},
		{"[", "a"},
		{"a[", "a"},
		{"ab[c-", "abc"},
		{"日本*", "日本語"},
	}
	for _, m := range patterns {
		ok, err := path.Match(m.pattern, m.name)
		fmt.Println(m.pattern, m.name, ok, err, err == path.ErrBadPattern)
	}
}
