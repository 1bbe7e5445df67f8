package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiffGitRevisionSplit: OLD read from a git revision is read with the
// files it includes at that revision, not as they are on disk.
func TestDiffGitRevisionSplit(t *testing.T) {
	src, _ := filepath.Abs("../../testdata/include/ok")
	dir := t.TempDir()
	git := gitIn(t, dir)
	for _, f := range []string{"model.yaml", "shared.yaml", "icbs/north.yaml", "icbs/south.yaml"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(dir, "m", filepath.Dir(f)), 0o755)
		os.WriteFile(filepath.Join(dir, "m", f), b, 0o644)
	}
	git("init", "-q", "-b", "main")
	git("add", "m")
	git("commit", "-q", "-m", "model")
	// On disk, the north trust gains a second supplier of its service.
	north := filepath.Join(dir, "m", "icbs", "north.yaml")
	b, _ := os.ReadFile(north)
	b = bytes.Replace(b, []byte("  - {id: north-trust, kind: trust, icb: north-icb}\n"), []byte("  - {id: north-trust, kind: trust, icb: north-icb}\n  - {id: other-lab, kind: supplier}\n"), 1)
	b = append(b, "  - {from: north-trust, to: other-lab, type: data}\n"...)
	os.WriteFile(north, b, 0o644)
	t.Chdir(filepath.Join(dir, "m"))

	var stdout, stderr bytes.Buffer
	code := run([]string{"diff", "main:m/model.yaml", "model.yaml", "--today", "2026-11-23", "--format", "json"}, nil, &stdout, &stderr)
	if code != exitOK && code != exitProblem {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	out := stdout.String()
	if !strings.Contains(out, `"other-lab"`) || strings.Count(out, `"north-trust"`) == 0 {
		t.Errorf("the diff does not see the change made on disk:\n%s", out)
	}
	// A path from the current directory, as git reads it, works too.
	stdout.Reset()
	if code := run([]string{"diff", "main:./model.yaml", "main:m/model.yaml"}, nil, &stdout, &stderr); code != exitOK {
		t.Errorf("same revision twice: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	// An include missing at the revision is an error at its entry.
	os.WriteFile("model.yaml", []byte("version: 1\ninclude: [gone.yaml]\n"), 0o644)
	git("commit", "-q", "-am", "broken")
	stderr.Reset()
	code = run([]string{"diff", "main:m/model.yaml", "model.yaml"}, nil, &stdout, &stderr)
	if code != exitError || !strings.Contains(stderr.String(), `main:m/model.yaml:2:11: include "gone.yaml": no such file main:m/gone.yaml`) {
		t.Errorf("exit %d, stderr:\n%s", code, stderr.String())
	}
	// No file outside the directory of the root file is read.
	os.WriteFile("model.yaml", []byte("version: 1\ninclude: [../secret.yaml]\n"), 0o644)
	os.WriteFile("../secret.yaml", []byte("organisations: []\n"), 0o644)
	git("add", ".")
	git("commit", "-q", "-m", "escape")
	stderr.Reset()
	code = run([]string{"diff", "main:m/model.yaml", "main:m/model.yaml"}, nil, &stdout, &stderr)
	if code != exitError || !strings.Contains(stderr.String(), `main:m/model.yaml:2:11: include path "../secret.yaml" climbs above the directory of the model's root file`) {
		t.Errorf("exit %d, stderr:\n%s", code, stderr.String())
	}
}

// TestGenerateSplitSameResults: a national model split into one file per
// ICB gives the same bytes as the model in one file, for rank and for the
// reach of a few seeds in both modes (under -short, rank and one reach).
func TestGenerateSplitSameResults(t *testing.T) {
	dir := t.TempDir()
	one, split := filepath.Join(dir, "one.yaml"), filepath.Join(dir, "split")
	var stdout, stderr bytes.Buffer
	for _, args := range [][]string{{"generate", "--icbs", "3", "--seed", "4", "-o", one}, {"generate", "--icbs", "3", "--seed", "4", "--split", split}} {
		if code := run(args, nil, &stdout, &stderr); code != exitOK {
			t.Fatalf("%v: exit %d\n%s", args, code, stderr.String())
		}
	}
	icbFiles, _ := filepath.Glob(filepath.Join(split, "icbs", "*.yaml"))
	if len(icbFiles) != 3 {
		t.Fatalf("%d ICB files, want 3", len(icbFiles))
	}
	root := filepath.Join(split, "model.yaml")
	if code := run([]string{"validate", "--strict", root}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("validate: exit %d\n%s", code, stderr.String())
	}
	same := func(args ...string) {
		t.Helper()
		var a, b, errs bytes.Buffer
		ca := run(append([]string{args[0], one}, args[1:]...), nil, &a, &errs)
		cb := run(append([]string{args[0], root}, args[1:]...), nil, &b, &errs)
		if ca != exitOK || cb != exitOK {
			t.Fatalf("%v: exit %d and %d\n%s", args, ca, cb, errs.String())
		}
		if a.Len() < 100 || !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%v: one file and split differ (%d and %d bytes)", args, a.Len(), b.Len())
		}
	}
	same("rank", "--format", "json")
	same("reach", "--compromise", "icb-002,ambulance-00", "--format", "json", "--mode", "exfiltration")
	if testing.Short() {
		return // each run loads the model again: the rest is not short
	}
	same("rank", "--format", "json", "--mode", "exfiltration")
	for _, seed := range []string{"sup-00000", "gp-platform-0", "trust-001-1"} {
		same("reach", "--compromise", seed, "--format", "json")
	}
}

// The split example is the Alder Hey example in three files: the same
// results, and findings that name the file a mistake is in.
func TestSplitExample(t *testing.T) {
	one, split := "../../examples/alder-hey-gateway-2024.yaml", "../../examples/split/model.yaml"
	for _, args := range [][]string{
		{"reach", "--scenario", "INC Ransom data theft, November 2024", "--format", "json"},
		{"rank", "--format", "json", "--mode", "exfiltration"},
	} {
		var a, b, errs bytes.Buffer
		ca := run(append([]string{args[0], one}, args[1:]...), nil, &a, &errs)
		cb := run(append([]string{args[0], split}, args[1:]...), nil, &b, &errs)
		if ca != exitOK || cb != exitOK || a.Len() == 0 || !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%v: exit %d and %d, outputs differ: %v\n%s", args, ca, cb, !bytes.Equal(a.Bytes(), b.Bytes()), errs.String())
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"check", split}, nil, &stdout, &stderr); code != exitOK {
		t.Errorf("check: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}

	// A scenario in an included file that fails is reported in that file,
	// in text and in SARIF.
	dir := t.TempDir()
	for _, f := range []string{"model.yaml", "trusts.yaml", "gateway.yaml"} {
		b, _ := os.ReadFile(filepath.Join("../../examples/split", f))
		if f == "model.yaml" {
			b = bytes.Replace(b, []byte("include: [trusts.yaml, gateway.yaml]"), []byte("include: [trusts.yaml, gateway.yaml, more/*.yaml]"), 1)
		}
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	os.Mkdir(filepath.Join(dir, "more"), 0o755)
	os.WriteFile(filepath.Join(dir, "more", "wrong.yaml"), []byte("scenarios:\n  - name: wrong\n    compromise: [digital-gateway]\n    mode: exfiltration\n    expect:\n      spares: [lhch]\n"), 0o644)
	t.Chdir(dir)
	stdout.Reset()
	if code := run([]string{"check", "model.yaml"}, nil, &stdout, &stderr); code != exitProblem || !strings.Contains(stdout.String(), "more/wrong.yaml:6:16: error: scenario \"wrong\" was expected to spare \"lhch\"") {
		t.Errorf("check: exit %d\n%s", code, stdout.String())
	}
	stdout.Reset()
	if code := run([]string{"check", "model.yaml", "--format", "sarif"}, nil, &stdout, &stderr); code != exitProblem || !strings.Contains(stdout.String(), `"uri": "more/wrong.yaml"`) {
		t.Errorf("sarif: exit %d\n%s", code, stdout.String())
	}
	// A mistake in an included file is reported at its line there.
	os.WriteFile(filepath.Join(dir, "more", "wrong.yaml"), []byte("dependencies:\n  - {from: lhch, to: digital-gateway, type: data}\n  - {from: lhch, to: digital-gatway, type: access}\n"), 0o644)
	stdout.Reset()
	stderr.Reset()
	code := run([]string{"validate", "model.yaml"}, nil, &stdout, &stderr)
	if code != exitProblem || !strings.Contains(stderr.String(), `more/wrong.yaml:3:22: dependency to "digital-gatway": no such organisation or service (did you mean "digital-gateway"?)`) {
		t.Errorf("validate: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	os.WriteFile(filepath.Join(dir, "more", "wrong.yaml"), []byte("dependencies:\n  - {from: lhch, to: digital-gateway, type: data}\n"), 0o644)
	stdout.Reset()
	stderr.Reset()
	code = run([]string{"validate", "model.yaml"}, nil, &stdout, &stderr)
	if code != exitOK || !strings.Contains(stderr.String(), `more/wrong.yaml:2:5: warning: the data dependency of "lhch" on "digital-gateway" is listed twice; the second listing adds nothing (first at gateway.yaml:15:5; remove one)`) {
		t.Errorf("validate: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
}
