// log, compiled from Go's source: prefixes, flags that do not depend on the
// clock (Lshortfile, Llongfile's base, Lmsgprefix), New, SetOutput,
// SetPrefix, SetFlags, Writer, Output's call depth through a helper, the
// std logger, Panic* (recovered) and Fatal (exit code 1). Expected output
// from go run (Go 1.19).
package main

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"strings"
)

func logVia(l *log.Logger, depth int, msg string) {
	l.Output(depth, msg)
}

func main() {
	var buf bytes.Buffer
	l := log.New(&buf, "pre: ", log.Lshortfile)
	l.Println("hello", 1)
	l.Printf("x=%d", 5)
	l.Print("no newline")
	l.Print("newline\n")
	l.SetFlags(log.Lmsgprefix | log.Lshortfile)
	l.Print("msg")
	logVia(l, 1, "depth 1")
	logVia(l, 2, "depth 2")
	l.SetFlags(log.Llongfile)
	l.Print("long")
	fmt.Print(buf.String()[:strings.Index(buf.String(), "pre: /")])
	long := buf.String()[strings.Index(buf.String(), "pre: /"):]
	fmt.Println(strings.HasSuffix(long, "/log_from_source.go:32: long\n"))
	fmt.Println(l.Prefix(), l.Flags(), l.Writer() == &buf)

	log.SetOutput(os.Stdout)
	log.SetFlags(0)
	log.SetPrefix("std: ")
	log.Println("to stdout")
	log.Print("a", 1, 2, "b")
	fmt.Println(log.Prefix(), log.Flags(), log.Writer() == os.Stdout)
	log.SetFlags(log.Lshortfile)
	log.Printf("%q", "with file")
	log.Default().SetPrefix("default: ")
	log.Println("default")

	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		log.Panicf("bad %d", 7)
	}()
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		log.New(os.Stdout, "", 0).Panicln("bad", 8)
	}()
	log.SetOutput(os.Stdout)
	log.Fatal("fatal ", 9)
}
