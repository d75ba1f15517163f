package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"io/ioutil"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func check(err error) {
	if err != nil {
		panic(err)
	}
}

func main() {
	dir, err := os.MkdirTemp("", "g2n-os-files-*")
	check(err)
	defer os.RemoveAll(dir)
	fmt.Println("temp dir under TempDir:", strings.HasPrefix(dir, os.TempDir()))

	// Create, Write, Close, ReadFile.
	name := filepath.Join(dir, "a.txt")
	f, err := os.Create(name)
	check(err)
	n, err := f.Write([]byte("hello, "))
	fmt.Println(n, err)
	n, err = f.WriteString("files\n")
	fmt.Println(n, err, filepath.Base(f.Name()), f.Fd() > 2)
	check(f.Close())
	fmt.Println(f.Close() != nil)
	b, err := os.ReadFile(name)
	fmt.Printf("%q %v\n", b, err)

	// Open, Read, ReadAt, Seek, Stat.
	f, err = os.Open(name)
	check(err)
	buf := make([]byte, 5)
	n, err = f.Read(buf)
	fmt.Println(n, err, string(buf[:n]))
	n, err = f.ReadAt(buf, 7)
	fmt.Println(n, err, string(buf[:n]))
	off, err := f.Seek(-6, io.SeekEnd)
	fmt.Println(off, err)
	rest, err := io.ReadAll(f)
	fmt.Printf("%q %v\n", rest, err)
	n, err = f.Read(buf)
	fmt.Println(n, err == io.EOF)
	st, err := f.Stat()
	check(err)
	fmt.Println(st.Name(), st.Size(), st.IsDir(), st.Mode().IsRegular(), st.Mode().Perm())
	_, err = f.Write([]byte("x"))
	fmt.Println(err != nil)
	check(f.Close())

	// OpenFile with flags, WriteFile, append.
	f, err = os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
	check(err)
	f.WriteString("more\n")
	f.Close()
	check(os.WriteFile(filepath.Join(dir, "b.txt"), []byte("bee"), 0o600))
	b, _ = os.ReadFile(name)
	fmt.Printf("%q\n", b)
	_, err = os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	fmt.Println(errors.Is(err, fs.ErrExist), os.IsExist(err))

	// Errors: ErrNotExist, *PathError.
	_, err = os.Open(filepath.Join(dir, "missing"))
	fmt.Println(errors.Is(err, os.ErrNotExist), os.IsNotExist(err))
	var pe *os.PathError
	if errors.As(err, &pe) {
		fmt.Println(pe.Op, filepath.Base(pe.Path), pe.Err)
	}
	fmt.Println(strings.Replace(err.Error(), dir, "DIR", 1))
	_, err = os.ReadFile(dir)
	fmt.Println(strings.Replace(err.Error(), dir, "DIR", 1))

	// Directories.
	check(os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	check(os.MkdirAll(filepath.Join(dir, "sub", "x", "y"), 0o755))
	err = os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	fmt.Println(os.IsExist(err))
	check(os.WriteFile(filepath.Join(dir, "sub", "x", "c.go"), []byte("package c\n"), 0o644))
	check(os.Rename(filepath.Join(dir, "b.txt"), filepath.Join(dir, "sub", "b.txt")))
	entries, err := os.ReadDir(dir)
	check(err)
	for _, e := range entries {
		fmt.Println("entry", e.Name(), e.IsDir(), e.Type().IsDir())
	}
	d, err := os.Open(dir)
	check(err)
	names, err := d.Readdirnames(-1)
	sort.Strings(names)
	fmt.Println(names, err)
	d.Close()
	d, _ = os.Open(filepath.Join(dir, "sub"))
	des, err := d.ReadDir(-1)
	sort.Slice(des, func(i, j int) bool { return des[i].Name() < des[j].Name() })
	for _, e := range des {
		info, _ := e.Info()
		fmt.Println("sub entry", e.Name(), e.IsDir(), info.Size() >= 0)
	}
	d.Close()
	lst, err := os.Lstat(filepath.Join(dir, "sub"))
	fmt.Println(lst.IsDir(), lst.Mode().IsDir(), err)

	// filepath.
	var walked []string
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		rel, _ := filepath.Rel(dir, path)
		walked = append(walked, fmt.Sprintf("%s:%v", rel, info.IsDir()))
		return nil
	})
	fmt.Println(walked)
	walked = nil
	filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if e.IsDir() && e.Name() == "x" {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(dir, path)
		walked = append(walked, rel)
		return nil
	})
	fmt.Println(walked)
	matches, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	fmt.Println(len(matches), filepath.Base(matches[0]), err)
	fmt.Println(filepath.Join("a", "b/../c", "d.go"), filepath.Clean("/a//b/./c/.."), filepath.Ext("x/y.tar.gz"))
	fmt.Println(filepath.Split("/usr/lib/x.so"))
	fmt.Println(filepath.Dir("/usr/lib/x.so"), filepath.Base("/usr/lib/x.so"), filepath.IsAbs("a/b"))
	ok, err := filepath.Match("*.go", "main.go")
	fmt.Println(ok, err)
	rel, err := filepath.Rel("/a/b", "/a/c/d")
	fmt.Println(rel, err)
	real, err := filepath.EvalSymlinks(dir)
	fmt.Println(real != "", err)
	check(os.Symlink(name, filepath.Join(dir, "link")))
	target, err := filepath.EvalSymlinks(filepath.Join(dir, "link"))
	fmt.Println(filepath.Base(target), err)
	li, _ := os.Lstat(filepath.Join(dir, "link"))
	fmt.Println(li.Mode()&os.ModeSymlink != 0)

	// Getwd, Chdir, Abs.
	wd, err := os.Getwd()
	check(err)
	check(os.Chdir(dir))
	here, _ := os.Getwd()
	abs, _ := filepath.Abs("a.txt")
	fmt.Println(here == real, abs == filepath.Join(real, "a.txt"))
	check(os.Chdir(wd))

	// io/fs over a directory, io/ioutil.
	fsys := os.DirFS(dir)
	data, err := fs.ReadFile(fsys, "sub/x/c.go")
	fmt.Printf("%q %v\n", data, err)
	des, _ = fs.ReadDir(fsys, "sub")
	fmt.Println(len(des))
	var inFS []string
	fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		inFS = append(inFS, path)
		return nil
	})
	fmt.Println(inFS)
	tf, err := ioutil.TempFile(dir, "t*.tmp")
	check(err)
	fmt.Println(strings.HasSuffix(tf.Name(), ".tmp"))
	tf.Close()
	ct, err := os.CreateTemp(dir, "c")
	check(err)
	ct.Close()
	b, err = ioutil.ReadFile(filepath.Join(dir, "sub", "b.txt"))
	fmt.Println(string(b), err)
	infos, err := ioutil.ReadDir(filepath.Join(dir, "sub"))
	fmt.Println(len(infos), infos[0].Name(), err)

	// Remove, RemoveAll.
	fmt.Println(os.Remove(filepath.Join(dir, "sub")) != nil)
	check(os.Remove(filepath.Join(dir, "a.txt")))
	check(os.RemoveAll(filepath.Join(dir, "sub")))
	_, err = os.Stat(filepath.Join(dir, "sub"))
	fmt.Println(os.IsNotExist(err))

	// Environment and process.
	check(os.Setenv("G2N_OS_TEST", "v1"))
	v, found := os.LookupEnv("G2N_OS_TEST")
	fmt.Println(os.Getenv("G2N_OS_TEST"), v, found)
	inEnviron := false
	for _, kv := range os.Environ() {
		if kv == "G2N_OS_TEST=v1" {
			inEnviron = true
		}
	}
	fmt.Println(inEnviron)
	os.Unsetenv("G2N_OS_TEST")
	_, found = os.LookupEnv("G2N_OS_TEST")
	fmt.Println(found, os.Setenv("", "x"))
	host, err := os.Hostname()
	fmt.Println(host != "", err)
	fmt.Println(os.Getpid() > 0, len(os.Args) >= 1)
	fmt.Fprintln(os.Stderr, "to stderr")
	fmt.Fprintln(os.Stdout, "to stdout")
	os.Stdout.WriteString("done\n")
	os.Exit(3)
}
