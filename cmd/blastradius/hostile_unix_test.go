//go:build unix

package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// -o onto a FIFO writes into it, a file keeps its mode, a link stays a
// link to the file it names, and a temporary file a killed run left an
// hour ago is removed.
func TestHostileOutputFiles(t *testing.T) {
	dir := t.TempDir()
	model := "../../examples/wirral-2024.yaml"
	reach := func(out string) int {
		return run([]string{"reach", model, "--compromise", "wirral", "-o", out}, nil, io.Discard, io.Discard)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	got := make(chan int, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- -1
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- len(b)
	}()
	if code := reach(fifo); code != exitOK {
		t.Fatalf("FIFO: exit %d", code)
	}
	select {
	case n := <-got:
		if n == 0 {
			t.Error("FIFO: nothing read")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("FIFO: no output arrived")
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("FIFO replaced: %v %v", st.Mode(), err)
	}

	secret := filepath.Join(dir, "secret.txt")
	os.WriteFile(secret, nil, 0o600)
	link := filepath.Join(dir, "link.txt")
	os.Symlink("secret.txt", link)
	stale := filepath.Join(dir, ".secret.txt.tmp-123")
	os.WriteFile(stale, []byte("half"), 0o644)
	os.Chtimes(stale, time.Now().Add(-2*time.Hour), time.Now().Add(-2*time.Hour))
	if code := reach(link); code != exitOK {
		t.Fatalf("link: exit %d", code)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link replaced by a file")
	}
	if st, err := os.Stat(secret); err != nil || st.Mode().Perm() != 0o600 || st.Size() == 0 {
		t.Errorf("secret.txt: %v, %d bytes, %v", st.Mode().Perm(), st.Size(), err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale temporary file is still there")
	}
}

// A layout that does not finish is stopped after --timeout, with a
// message and exit 2, even when the drawing program leaves a child behind
// that holds its output.
func TestHostileLayoutStoppedAfterTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("it waits for a layout timeout: run without -short (.ci/run does)")
	}
	dir := t.TempDir()
	prog := filepath.Join(dir, "draw")
	os.WriteFile(prog, []byte("#!/bin/sh\nsleep 30 &\nsleep 30\n"), 0o755)
	t.Setenv("BLASTRADIUS_DRAW", prog)
	var stderr strings.Builder
	start := time.Now()
	code := run([]string{"render", "../../examples/wirral-2024.yaml", "--compromise", "wirral", "--timeout", "300ms", "-o", filepath.Join(dir, "x.svg")}, nil, io.Discard, &stderr)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
	if code != exitError || !strings.Contains(stderr.String(), "took longer than 300ms") {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
}
