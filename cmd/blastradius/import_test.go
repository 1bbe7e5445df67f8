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

// TestImportODSUpdateSplitModel: a model kept in several files, its ICBs
// imported into icbs/ and a region file naming a practice in a
// dependency. When the practice closes, --update keeps it and says why,
// because another file of the model still names it; the model still
// validates. A practice named nowhere else is removed.
func TestImportODSUpdateSplitModel(t *testing.T) {
	chdirRoot(t)
	root := t.TempDir()
	icbs := filepath.Join(root, "icbs")
	args := []string{"import", "ods", "--etr", "testdata/ods/etr.csv", "--icbs", "testdata/ods/icbs.csv"}
	var stdout, stderr bytes.Buffer
	if code := run(append(args, "--epraccur", "testdata/ods/epraccur.csv", "-o", icbs), nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	write := func(name, text string) string {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	model := write("england.yaml", "version: 1\nname: England\ninclude: [icbs/*.yaml, regions/*.yaml]\n")
	write("regions/south.yaml", "services:\n  - {id: lab, kind: pathology}\ndependencies:\n  - {from: g99002, to: lab, type: service}\n")
	runOK(t, "validate", "--strict", model)
	// The next month's download: G99001 and G99002 have closed.
	src, err := os.ReadFile("testdata/ods/epraccur.csv")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(l, "G99001,") || strings.HasPrefix(l, "G99002,") {
			f := strings.Split(l, ",")
			f[11], f[12] = "20261130", "C"
			l = strings.Join(f, ",")
		}
		lines = append(lines, l)
	}
	next := write("epraccur-next.csv", strings.Join(lines, "\n"))
	stdout.Reset()
	stderr.Reset()
	if code := run(append(args, "--epraccur", next, "--update", icbs), nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("--update: exit %d: %s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"Checked names across the model " + model + " (4 files).",
		"closed 1, removed: [g99001]",
		"closed but still named in the model, kept: [g99002]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("--update says:\n%s\nwant %q", out, want)
		}
	}
	runOK(t, "validate", "--strict", model)
	// Given the root, the same; given a root that does not load, an error.
	stdout.Reset()
	if code := run(append(args, "--epraccur", next, "--update", icbs, "--model", filepath.Join(root, "nosuch.yaml")), nil, &stdout, &stderr); code != exitError {
		t.Errorf("--model of a missing file: exit %d", code)
	}
}
