package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportODS imports the fixtures, validates every file written, and
// checks that a second import refuses to overwrite while --update rewrites.
func TestImportODS(t *testing.T) {
	chdirRoot(t)
	dir := t.TempDir()
	args := []string{"import", "ods", "--epraccur", "testdata/ods/epraccur.csv", "--etr", "testdata/ods/etr.csv",
		"--icbs", "testdata/ods/icbs.csv", "--sub-icbs", "testdata/ods/eccg.csv", "--list-sizes", "testdata/ods/gp-reg-pat-prac-all.csv"}
	var stdout, stderr bytes.Buffer
	if code := run(append(args, "-o", dir), nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "2 files written; skipped 2 closed, 1 dormant, 1 proposed, 1 not GP practices") {
		t.Errorf("stdout: %s", stdout.String())
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) != 2 {
		t.Fatalf("wrote %v", files)
	}
	stdout.Reset()
	stderr.Reset()
	if code := run(append([]string{"validate", "--strict"}, files...), nil, &stdout, &stderr); code != exitOK {
		t.Errorf("validate: exit %d: %s%s", code, stdout.String(), stderr.String())
	}
	stderr.Reset()
	if code := run(append(args, "-o", dir), nil, &stdout, &stderr); code != exitError || !strings.Contains(stderr.String(), "exists (refresh it with --update") {
		t.Errorf("a second import: exit %d, %s", code, stderr.String())
	}
	before, _ := os.ReadFile(files[0])
	stdout.Reset()
	if code := run(append(args, "--update", dir), nil, &stdout, &stderr); code != exitOK {
		t.Errorf("--update: exit %d: %s", code, stderr.String())
	}
	if after, _ := os.ReadFile(files[0]); !bytes.Equal(before, after) {
		t.Errorf("--update of a fresh import changed it")
	}
}

func TestImportODSBadRows(t *testing.T) {
	chdirRoot(t)
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run([]string{"import", "ods", "--epraccur", "testdata/ods/bad-epraccur.csv", "-o", dir}, nil, &stdout, &stderr)
	if code != exitError || !strings.HasPrefix(stderr.String(), "testdata/ods/bad-epraccur.csv:1:1: malformed ODS code") {
		t.Errorf("exit %d, stderr %s", code, stderr.String())
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 0 {
		t.Errorf("bad rows, yet wrote %v", files)
	}
}
