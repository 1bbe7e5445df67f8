//go:build unix

package model_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/blastradius/blastradius/model"
)

// An include that names a FIFO is refused at once: reading it would wait
// for a writer that never comes.
func TestIncludeRefusesAFIFO(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "m.yaml"), []byte("version: 1\ninclude: [f.yaml]\n"), 0o644)
	if err := syscall.Mkfifo(filepath.Join(dir, "f.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := model.Load(filepath.Join(dir, "m.yaml")); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "is not a regular file") {
			t.Errorf("got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the include of a FIFO hangs")
	}
}

// A file past the size limit is refused from its size, before any of it
// is read: a sparse file of 1 GiB over a limit of 64 MiB costs nothing,
// where reading up to the limit first cost twice the limit in memory.
func TestFileSizeCheckedBeforeReading(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(1 << 30)
	f.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = model.ReadFile(path, model.Limits{MaxBytes: 64 << 20})
	runtime.ReadMemStats(&after)
	var list model.ErrorList
	if !errors.As(err, &list) || !strings.Contains(err.Error(), "larger than the limit") {
		t.Fatalf("got %v", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("refusing allocated %d bytes: the file was read", n)
	}
}
