// io/fs compiled from Go's source, over a file system written by the
// program (an in-memory tree implementing fs.FS, fs.ReadDirFS and
// fs.StatFS): ValidPath, FileMode's String and predicates, WalkDir with
// SkipDir, Glob, ReadFile, ReadDir (sorted), Stat, Sub, PathError and the
// sentinel errors with errors.Is.
package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

// memFS maps clean slash-separated names to file contents; directories
// are implied by the names under them.
type memFS map[string]string

type memInfo struct {
	name string
	size int64
	dir  bool
}

func (i memInfo) Name() string { return i.name }
func (i memInfo) Size() int64  { return i.size }
func (i memInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o755
	}
	return 0o644
}
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return i.dir }
func (i memInfo) Sys() any           { return nil }

type memFile struct {
	info memInfo
	r    *strings.Reader
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Read(p []byte) (int, error) {
	if f.info.dir {
		return 0, &fs.PathError{Op: "read", Path: f.info.name, Err: fs.ErrInvalid}
	}
	return f.r.Read(p)
}
func (f *memFile) Close() error { return nil }

func (m memFS) isDir(name string) bool {
	if name == "." {
		return true
	}
	for k := range m {
		if strings.HasPrefix(k, name+"/") {
			return true
		}
	}
	return false
}

func (m memFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if data, ok := m[name]; ok {
		return &memFile{memInfo{path.Base(name), int64(len(data)), false}, strings.NewReader(data)}, nil
	}
	if m.isDir(name) {
		return &memFile{memInfo{path.Base(name), 0, true}, nil}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (m memFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if !m.isDir(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	prefix := name + "/"
	if name == "." {
		prefix = ""
	}
	seen := map[string]bool{}
	var entries []fs.DirEntry
	for k := range m {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		rest := k[len(prefix):]
		child, _, deeper := strings.Cut(rest, "/")
		if seen[child] {
			continue
		}
		seen[child] = true
		info := memInfo{child, int64(len(m[k])), deeper}
		if deeper {
			info.size = 0
		}
		entries = append(entries, fs.FileInfoToDirEntry(info))
	}
	// Unsorted on purpose: fs.ReadDir sorts what a ReadDirFS returns.
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() > entries[j].Name() })
	return entries, nil
}

func (m memFS) Stat(name string) (fs.FileInfo, error) {
	f, err := m.Open(name)
	if err != nil {
		return nil, err
	}
	return f.Stat()
}

func main() {
	for _, p := range []string{".", "a/b", "/a", "a/../b", "a//b", "", "a/", "x.go"} {
		fmt.Printf("ValidPath(%q) = %v\n", p, fs.ValidPath(p))
	}
	modes := []fs.FileMode{0o644, fs.ModeDir | 0o755, fs.ModeSymlink | 0o777, fs.ModeNamedPipe | fs.ModeSetuid | 0o600, fs.ModeDevice | fs.ModeCharDevice}
	for _, m := range modes {
		fmt.Println(m, m.IsDir(), m.IsRegular(), m.Perm(), m.Type())
	}

	fsys := memFS{
		"go.mod":              "module x\n",
		"cmd/main.go":         "package main\n",
		"cmd/util.go":         "package main // util\n",
		"docs/readme.md":      "# x\n",
		"docs/old/notes.md":   "old\n",
		"pkg/lib/lib.go":      "package lib\n",
		"pkg/lib/lib_test.go": "package lib\n",
	}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "old" {
			fmt.Println("skip", p)
			return fs.SkipDir
		}
		info, _ := d.Info()
		fmt.Println(p, d.IsDir(), d.Type(), info.Size())
		return nil
	})
	fmt.Println("walk:", err)
	err = fs.WalkDir(fsys, "missing", func(p string, d fs.DirEntry, err error) error {
		fmt.Println("visit", p, d == nil, err)
		return err
	})
	fmt.Println("walk missing:", err, errors.Is(err, fs.ErrNotExist))

	matches, err := fs.Glob(fsys, "*/*.go")
	fmt.Println(matches, err)
	matches, err = fs.Glob(fsys, "pkg/*/lib*.go")
	fmt.Println(matches, err)
	_, err = fs.Glob(fsys, "[")
	fmt.Println(err)

	data, err := fs.ReadFile(fsys, "cmd/util.go")
	fmt.Printf("%q %v\n", data, err)
	_, err = fs.ReadFile(fsys, "nope.txt")
	var pe *fs.PathError
	fmt.Println(err, errors.As(err, &pe), pe.Op, pe.Path, errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrExist))

	entries, err := fs.ReadDir(fsys, "docs")
	for _, e := range entries {
		fmt.Println("entry", e.Name(), e.IsDir())
	}
	info, err := fs.Stat(fsys, "pkg/lib")
	fmt.Println(info.Name(), info.IsDir(), info.Mode(), err)

	sub, err := fs.Sub(fsys, "pkg")
	data, err = fs.ReadFile(sub, "lib/lib.go")
	fmt.Printf("%q %v\n", data, err)
	_, err = fs.Sub(fsys, "../x")
	fmt.Println(err)

	f, _ := fsys.Open("docs")
	_, err = io.ReadAll(f)
	fmt.Println(err, errors.Is(err, fs.ErrInvalid), fs.ErrPermission, fs.ErrClosed)
}
