// os/exec compiled from Go's source: commands started, fed and waited for
// through Go's syscall.forkExec (a fork in g2n's runtime), their pipes
// copied by goroutines that must not block one another on the flow's one
// thread. Every process started here is waited for.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

func main() {
	out, err := exec.Command("echo", "hello", "world").Output()
	fmt.Printf("echo: %q %v\n", out, err)

	// A failing command: *ExitError with its code.
	err = exec.Command("sh", "-c", "exit 3").Run()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		fmt.Println("exit error:", err, exitErr.ExitCode(), exitErr.Exited(), exitErr.Success())
	}

	// A missing program: LookPath's error, and exec's *PathError through
	// the fork's error pipe.
	_, err = exec.Command("g2n-no-such-program-here").Output()
	fmt.Println("missing:", err, errors.Is(err, exec.ErrNotFound))
	_, err = exec.Command("/nonexistent/prog").Output()
	var pathErr *os.PathError
	fmt.Println("missing path:", err, errors.As(err, &pathErr), errors.Is(err, os.ErrNotExist))
	dir, err := os.MkdirTemp("", "g2n-exec")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	os.WriteFile(dir+"/text", []byte("not a program\n"), 0o644)
	_, err = exec.Command(dir + "/text").Output()
	fmt.Println("not executable:", strings.ReplaceAll(err.Error(), dir, "DIR"), errors.Is(err, os.ErrPermission))
	os.Chmod(dir+"/text", 0o755)
	_, err = exec.Command(dir + "/text").Output()
	fmt.Println("no interpreter:", strings.ReplaceAll(err.Error(), dir, "DIR"), errors.Is(err, syscall.ENOEXEC))

	// Standard input piped to cat, small and larger than a pipe's buffer
	// both ways (the goroutine feeding cat and the one reading it take
	// turns with Wait).
	cmd := exec.Command("cat")
	cmd.Stdin = strings.NewReader("piped through cat\n")
	out, err = cmd.Output()
	fmt.Printf("cat: %q %v\n", out, err)
	big := strings.Repeat("0123456789abcdef", 1<<16)
	cmd = exec.Command("cat")
	cmd.Stdin = strings.NewReader(big)
	out, err = cmd.Output()
	fmt.Println("cat 1 MiB:", len(out), string(out) == big, err)

	// Dir and Env.
	cmd = exec.Command("pwd")
	cmd.Dir = "/usr"
	out, err = cmd.Output()
	fmt.Printf("pwd: %q %v\n", out, err)
	cmd = exec.Command("sh", "-c", "echo $G2N_EXEC_TEST; echo oops >&2; exit 1")
	cmd.Env = []string{"G2N_EXEC_TEST=from Env"}
	out, err = cmd.CombinedOutput()
	fmt.Printf("combined: %q %v\n", out, err)
	cmd = exec.Command("sh", "-c", "echo to stderr >&2; exit 2")
	_, err = cmd.Output()
	if errors.As(err, &exitErr) {
		fmt.Printf("stderr kept: %q %d\n", exitErr.Stderr, exitErr.ExitCode())
	}

	// StdoutPipe read line by line before Wait.
	cmd = exec.Command("sh", "-c", "for i in 1 2 3; do echo line $i; done")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		panic(err)
	}
	if err := cmd.Start(); err != nil {
		panic(err)
	}
	scanner := bufio.NewScanner(stdout)
	for scanner.Scan() {
		fmt.Println("read:", scanner.Text())
	}
	fmt.Println("wait:", cmd.Wait())

	// StdinPipe written and closed, output into a buffer.
	cmd = exec.Command("tr", "a-z", "A-Z")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	cmd.Stdout = &buf
	if err := cmd.Start(); err != nil {
		panic(err)
	}
	io.WriteString(stdin, "shout this\n")
	stdin.Close()
	err = cmd.Wait()
	fmt.Printf("tr: %q %v %s %d\n", buf.String(), err, cmd.ProcessState, cmd.ProcessState.ExitCode())

	// The child writes to the program's own standard output, in order
	// with what the program printed before and after.
	fmt.Println("before the child")
	cmd = exec.Command("echo", "the child's own line")
	cmd.Stdout = os.Stdout
	fmt.Println("run:", cmd.Run())
	fmt.Println("after the child")

	// Kill and Signal; a context's deadline kills the command.
	cmd = exec.Command("sleep", "10")
	if err := cmd.Start(); err != nil {
		panic(err)
	}
	fmt.Println("kill:", cmd.Process.Kill())
	fmt.Println("killed:", cmd.Wait())
	cmd = exec.Command("sleep", "10")
	if err := cmd.Start(); err != nil {
		panic(err)
	}
	fmt.Println("signal:", cmd.Process.Signal(syscall.SIGTERM))
	err = cmd.Wait()
	status := cmd.ProcessState.Sys().(syscall.WaitStatus)
	fmt.Println("terminated:", err, status.Signaled(), status.Signal())
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	err = exec.CommandContext(ctx, "sleep", "10").Run()
	cancel()
	fmt.Println("context:", err, ctx.Err())

	// A goroutine and the program's own pipe: the writer blocks on a full
	// pipe only until the reading goroutine runs.
	r, w, err := os.Pipe()
	if err != nil {
		panic(err)
	}
	got := make(chan int)
	go func() {
		n, _ := io.Copy(io.Discard, r)
		got <- int(n)
	}()
	w.Write([]byte(big))
	w.Close()
	fmt.Println("own pipe:", <-got)
	r.Close()

	path, err := exec.LookPath("sh")
	fmt.Println("lookpath:", strings.HasSuffix(path, "/sh"), err)
	fmt.Println("string:", exec.Command("echo", "a b").String() == "/usr/bin/echo a b" || exec.Command("echo", "a b").String() == "/bin/echo a b")
	_, err = os.StartProcess("/bin/sh", []string{"sh", "-c", "exit 0"}, &os.ProcAttr{Dir: "/nonexistent"})
	fmt.Println("start in missing dir:", err)
}
