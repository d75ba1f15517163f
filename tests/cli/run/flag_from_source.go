// flag compiled from Go's source: FlagSets with every kind of value, Visit,
// errors with ContinueOnError, PrintDefaults, and the global set.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(os.Stdout)
	verbose := fs.Bool("v", false, "be verbose")
	n := fs.Int("n", 3, "how many")
	name := fs.String("name", "gopher", "who")
	wait := fs.Duration("wait", time.Second, "how long")
	ratio := fs.Float64("ratio", 0.5, "a ratio")
	var count uint
	fs.UintVar(&count, "count", 7, "a count")
	err := fs.Parse([]string{"-v", "-n=42", "--name", "g2n", "-wait", "1m30s", "-ratio=2.25", "rest", "-x"})
	fmt.Println(err, *verbose, *n, *name, *wait, *ratio, count, fs.Args(), fs.NArg(), fs.NFlag())
	fs.Visit(func(f *flag.Flag) { fmt.Println("set:", f.Name, f.Value) })
	fs.VisitAll(func(f *flag.Flag) { fmt.Println("all:", f.Name, f.DefValue, f.Usage) })
	err = fs.Parse([]string{"-nope"})
	fmt.Println("err:", err)
	err = fs.Parse([]string{"-n", "x"})
	fmt.Println("err:", err)
	fs.PrintDefaults()
	fmt.Println(flag.Parsed(), flag.NArg(), len(flag.Args()))
	b := flag.Bool("b", true, "global")
	flag.Parse()
	fmt.Println(flag.Parsed(), *b, flag.NFlag(), flag.Lookup("b").Value.String())
}
