package main

// Files and the standard streams at hops: a path travels and the file is
// opened again on the other side; a *os.File of a standard stream, and a
// bufio.Writer over one, travel (descriptors 0, 1 and 2 are the flow's
// streams on every nanoservice); a closed file travels. An open file does
// not (tests/split/refused/open_file.go): writeClosed keeps it inside one
// statement, so that the per-line split of main moves none.

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	dir, err := os.MkdirTemp("", "g2n-split-files-*")
	if err != nil {
		panic(err)
	}
	name := filepath.Join(dir, "notes.txt")
	f := writeClosed(name)
	out := os.Stdout
	w := bufio.NewWriter(os.Stdout)
	w.WriteString("buffered before the hop\n")
	goToNetwork 'reader'
	b, err := os.ReadFile(name)
	fmt.Printf("%q %v\n", b, err)
	fmt.Fprintln(out, "os.Stdout after the hop")
	w.WriteString("buffered after the hop\n")
	w.Flush()
	_, err = f.Write([]byte("x"))
	fmt.Println("write to a closed file:", err != nil)
	goToNetwork 'cleaner'
	fmt.Println(os.RemoveAll(dir))
	_, err = os.Stat(dir)
	fmt.Println(os.IsNotExist(err))
}

func writeClosed(name string) *os.File {
	f, err := os.Create(name)
	if err != nil {
		panic(err)
	}
	f.WriteString("written before the hop\n")
	f.Close()
	return f
}
