package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// touchedLines is what git says a change touched, as a code review tool
// shows it: for each file, the lines added or modified and, for a hunk
// that only deletes, the line before it.
func touchedLines(t *testing.T, dir string) map[string]map[int]bool {
	t.Helper()
	cmd := exec.Command("git", "diff", "-U0", "--cached", "main")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git diff: %v", err)
	}
	touched := map[string]map[int]bool{}
	file := ""
	hunk := regexp.MustCompile(`^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@`)
	for _, line := range strings.Split(string(out), "\n") {
		if name, ok := strings.CutPrefix(line, "+++ b/"); ok {
			file = name
			touched[file] = map[int]bool{}
			continue
		}
		m := hunk.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		start, _ := strconv.Atoi(m[1])
		n := 1
		if m[2] != "" {
			n, _ = strconv.Atoi(m[2])
		}
		if n == 0 {
			touched[file][max(start, 1)] = true // a deletion, after line start
		}
		for l := start; l < start+n; l++ {
			touched[file][l] = true
		}
	}
	return touched
}

type baseFinding struct {
	Rule     string `json:"rule"`
	ID       string `json:"id"`
	Related  string `json:"related"`
	Scenario string `json:"scenario"`
	Message  string `json:"message"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Causes   []struct {
		File string `json:"file"`
		Line int    `json:"line"`
	} `json:"causes"`
}

func (f baseFinding) key() string {
	return f.Rule + "\x00" + f.Scenario + "\x00" + f.ID + "\x00" + f.Related
}

func checkFindings(t *testing.T, args ...string) []baseFinding {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append(args, "--format", "json", "--today", "2026-11-23"), nil, &stdout, &stderr)
	if code == exitError && !strings.Contains(strings.Join(args, " "), "main:") {
		t.Fatalf("%v: exit %d\n%s", args, code, stderr.String())
	}
	var rep struct {
		Findings []baseFinding `json:"findings"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, stdout.String())
	}
	return rep.Findings
}

// TestCheckBasePullRequests runs check --base on the pull requests a model
// gets, in a git repository: add, change and delete a dependency, change a
// policy, change the scenarios file, add a fragment, add the first model.
// Every finding the change adds must be on a line the change touched, as
// git diff shows it, with its own line among its related locations, so
// that code scanning shows it on the pull request.
func TestCheckBasePullRequests(t *testing.T) {
	wd, _ := os.Getwd()
	root := filepath.Join(wd, "..", "..")
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	sel := read("examples/synnovis-2024.yaml")
	standards := read("examples/policies/standards.yaml")
	split := map[string]string{
		"model.yaml":   read("examples/split/model.yaml"),
		"trusts.yaml":  read("examples/split/trusts.yaml"),
		"gateway.yaml": read("examples/split/gateway.yaml"),
	}
	replace := func(s, old, new string) string {
		if !strings.Contains(s, old) {
			t.Fatalf("the example has no %q", old)
		}
		return strings.Replace(s, old, new, 1)
	}
	kch := "  - {from: kch, to: synnovis-lims, type: service, critical: true, share: 0.021}\n"
	for _, pr := range []struct {
		name       string
		base, head map[string]string // file → content; absent from head: deleted
		model      string
		scenarios  string
		minNew     int
	}{
		{name: "add a dependency", model: "sel.yaml", minNew: 2,
			base: map[string]string{"sel.yaml": sel},
			head: map[string]string{"sel.yaml": replace(sel, kch, kch+"  - {from: lgt, to: synnovis-lims, type: service}\n")}},
		{name: "change a dependency", model: "sel.yaml", minNew: 2,
			base: map[string]string{"sel.yaml": sel},
			head: map[string]string{"sel.yaml": replace(sel, "  - {from: gp-lambeth, to: synnovis-gp-pathology, type: data}", "  - {from: lgt, to: synnovis-gp-pathology, type: data}")}},
		{name: "delete a dependency", model: "sel.yaml", minNew: 1,
			base: map[string]string{"sel.yaml": sel},
			head: map[string]string{"sel.yaml": replace(replace(sel, "  - {from: gp-lambeth, to: synnovis-gp-pathology, type: service, share: 0.2}\n", ""), "  - {from: gp-lambeth, to: synnovis-gp-pathology, type: data}\n", "")}},
		{name: "change a policy", model: "sel.yaml", minNew: 3,
			base: map[string]string{"sel.yaml": sel},
			head: map[string]string{"sel.yaml": replace(sel, "  max_organisations: 25\n", "  max_organisations: 10\n  require_controls: {supplier: [mfa]}\n")}},
		{name: "change the scenarios file", model: "sel.yaml", scenarios: "standards.yaml", minNew: 2,
			base: map[string]string{"sel.yaml": sel, "standards.yaml": standards},
			head: map[string]string{"sel.yaml": sel, "standards.yaml": replace(replace(standards, "      max_organisations: 1\n", "      max_organisations: 1\n      spares: [gstt]\n"), "  max_organisations: 10\n", "  max_organisations: 5\n")}},
		{name: "add a fragment", model: "model.yaml", minNew: 2,
			base: split,
			head: map[string]string{"model.yaml": replace(split["model.yaml"], "include: [trusts.yaml, gateway.yaml]", "include: [trusts.yaml, gateway.yaml, extra.yaml]"),
				"trusts.yaml": split["trusts.yaml"], "gateway.yaml": split["gateway.yaml"],
				"extra.yaml": "version: 1\ndependencies:\n  - {from: wirral, to: digital-gateway, type: data}\n"}},
		{name: "the first model", model: "sel.yaml", minNew: 1,
			base: map[string]string{"README": "models to come\n"},
			head: map[string]string{"README": "models to come\n", "sel.yaml": replace(sel, kch, kch+"  - {from: lgt, to: synnovis-lims, type: service}\n")}},
	} {
		t.Run(pr.name, func(t *testing.T) {
			dir := t.TempDir()
			git := gitIn(t, dir)
			git("init", "-q", "-b", "main")
			for name, src := range pr.base {
				os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644)
			}
			git("add", "-A")
			git("commit", "-q", "-m", "base")
			for name := range pr.base {
				if _, ok := pr.head[name]; !ok {
					os.Remove(filepath.Join(dir, name))
				}
			}
			for name, src := range pr.head {
				os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644)
			}
			git("add", "-A")
			touched := touchedLines(t, dir)
			t.Chdir(dir)
			args := []string{"check", pr.model}
			if pr.scenarios != "" {
				args = append(args, "--scenarios", pr.scenarios)
			}
			before := map[string]bool{}
			baseArgs := append([]string{"check", "main:" + pr.model}, args[2:]...)
			if _, ok := pr.base[pr.model]; ok {
				if pr.scenarios != "" {
					os.WriteFile("was.yaml", []byte(pr.base[pr.scenarios]), 0o644)
					baseArgs = []string{"check", "main:" + pr.model, "--scenarios", "was.yaml"}
				}
				for _, f := range checkFindings(t, baseArgs...) {
					before[f.key()] = true
				}
				os.Remove("was.yaml")
			}
			found := 0
			for _, f := range checkFindings(t, append(args, "--base", "main:"+pr.model)...) {
				if before[f.key()] {
					continue
				}
				found++
				if !touched[f.File][f.Line] {
					t.Errorf("a new finding on %s:%d, a line the change did not touch: %s [%s]", f.File, f.Line, f.Message, f.Rule)
				}
				if len(f.Causes) == 0 {
					t.Errorf("a new finding on %s:%d has no related location: %s [%s]", f.File, f.Line, f.Message, f.Rule)
				}
			}
			if found < pr.minNew {
				t.Errorf("%d new findings, want at least %d: the pull request shows nothing", found, pr.minNew)
			}
			if pr.scenarios != "" {
				return // diff reads no scenarios file
			}
			// diff puts its new findings on the same lines.
			var stdout, stderr bytes.Buffer
			run([]string{"diff", "main:" + pr.model, pr.model, "--format", "json", "--today", "2026-11-23"}, nil, &stdout, &stderr)
			var d struct {
				Findings struct {
					New []baseFinding `json:"new"`
				} `json:"findings"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &d); err != nil {
				t.Fatalf("diff: %v\n%s%s", err, stdout.String(), stderr.String())
			}
			if len(d.Findings.New) < pr.minNew {
				t.Errorf("diff: %d new findings, want at least %d", len(d.Findings.New), pr.minNew)
			}
			for _, f := range d.Findings.New {
				if !touched[f.File][f.Line] {
					t.Errorf("diff: a new finding on %s:%d, a line the change did not touch: %s [%s]", f.File, f.Line, f.Message, f.Rule)
				}
			}
			t.Logf("%d new findings", found)
		})
	}
}

// TestDiffNewModel compares the change that adds a model with the base
// that lacks it, as the first pull request of a repository does: a new
// model, every finding new, not an error about line 0 of a missing file.
func TestDiffNewModel(t *testing.T) {
	wd, _ := os.Getwd()
	src, err := os.ReadFile(filepath.Join(wd, "..", "..", "testdata/widened/synnovis-2024.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	git := gitIn(t, dir)
	git("init", "-q", "-b", "main")
	os.WriteFile(filepath.Join(dir, "README"), []byte("models to come\n"), 0o644)
	git("add", "-A")
	git("commit", "-q", "-m", "base")
	os.WriteFile(filepath.Join(dir, "sel.yaml"), src, 0o644)
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	code := run([]string{"diff", "main:sel.yaml", "sel.yaml", "--format", "markdown", "--today", "2026-11-23"}, nil, &stdout, &stderr)
	if code != exitProblem {
		t.Fatalf("exit %d, want %d\n%s", code, exitProblem, stderr.String())
	}
	out := stdout.String()
	if !strings.Contains(out, "### blastradius: new model `sel.yaml`") || !strings.Contains(out, "**This change adds 2 findings.**") || strings.Contains(out, ":0`") {
		t.Errorf("the first model's comment:\n%s", out)
	}
	stdout.Reset()
	if code := run([]string{"diff", "nope:sel.yaml", "sel.yaml"}, nil, &stdout, &stderr); code != exitError {
		t.Errorf("a revision that does not exist: exit %d, want %d", code, exitError)
	}
}
