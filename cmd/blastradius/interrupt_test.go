//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/blastradius/blastradius/internal/synth"
)

// TestInterruptStopsCleanly runs the program as a user does, on a
// generated ICB with likelihoods, starts a recommendation that takes tens
// of seconds, and presses Ctrl-C (SIGINT) a second in: the program must
// stop within a few seconds with exit code 2, one line saying so and no
// stack trace, and leave neither the -o file nor a temporary one behind.
func TestInterruptStopsCleanly(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "blastradius")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var src bytes.Buffer
	if _, err := synth.Generate(&src, synth.Options{Scale: 1, Seed: 1, ICBs: 1, Likelihoods: true}); err != nil {
		t.Fatal(err)
	}
	m := filepath.Join(dir, "icb.yaml")
	if err := os.WriteFile(m, src.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	outDir := filepath.Join(dir, "out")
	if err := os.Mkdir(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(outDir, "advice.json")
	cmd := exec.Command(bin, "recommend", m, "--budget", "3", "--format", "json", "-o", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("recommend did not stop within 20 s of Ctrl-C")
	}
	t.Logf("stopped %v after the interrupt", time.Since(start).Round(time.Millisecond))
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitError {
		t.Fatalf("exit: %v, want code %d\n%s", err, exitError, stderr.String())
	}
	msg := stderr.String()
	if !strings.Contains(msg, "interrupted (Ctrl-C)") || strings.Contains(msg, "goroutine") || strings.Count(msg, "\n") != 1 {
		t.Fatalf("standard error:\n%s", msg)
	}
	left, err := os.ReadDir(outDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range left {
		t.Errorf("left behind: %s", f.Name())
	}
}
