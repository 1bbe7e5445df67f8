package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// exampleRun is one command on one example, and the golden file that holds
// its answer under testdata/examples.
type exampleRun struct {
	name string
	args []string
	out  string // a file the command writes with -o, read back into the golden
}

// exampleRuns lists every command on every example: validate, rank, check in
// every format, fmt, render, chokepoints and recommend on the whole model;
// reach, simulate, chokepoints and render from each of the four top-ranked
// seeds and from each scenario; then diff and paths. check is given a fixed
// --today so that its answers do not change with the date.
func exampleRuns(t *testing.T) []exampleRun {
	t.Helper()
	files, _ := filepath.Glob("examples/*.yaml")
	files = append(files, "examples/split/model.yaml")
	if len(files) < 5 {
		t.Fatalf("found %d examples", len(files))
	}
	const today = "2026-11-23"
	var runs []exampleRun
	add := func(name string, args ...string) { runs = append(runs, exampleRun{name: name, args: args}) }
	render := func(name string, args ...string) {
		runs = append(runs, exampleRun{name: name, args: append(args, "-o", "out.dot"), out: "out.dot"})
	}
	for _, f := range files {
		b := strings.TrimSuffix(strings.ReplaceAll(strings.TrimPrefix(f, "examples/"), "/", "-"), ".yaml")
		add(b+".validate", "validate", f)
		for _, fm := range []string{"text", "json", "csv"} {
			add(b+".rank."+fm, "rank", f, "--format", fm)
		}
		add(b+".rank-risk", "rank", f, "--risk", "--format", "json")
		for _, fm := range []string{"text", "json", "sarif", "junit", "codequality", "markdown"} {
			add(b+".check."+fm, "check", f, "--today", today, "--format", fm)
		}
		add(b+".check-policies", "check", f, "--scenarios", "examples/policies/standards.yaml", "--today", today, "--format", "json")
		add(b+".fmt", "fmt", "--check", f)
		render(b+".render", "render", f)
		add(b+".chokepoints", "chokepoints", f, "--format", "json")
		add(b+".recommend.json", "recommend", f, "--format", "json")
		add(b+".recommend.text", "recommend", f)
		for _, id := range topSeeds(t, f, 4) {
			add(b+".reach."+id, "reach", f, "--compromise", id)
			add(b+".reach-json."+id, "reach", f, "--compromise", id, "--format", "json")
			add(b+".reach-exfiltration."+id, "reach", f, "--compromise", id, "--mode", "exfiltration", "--format", "json")
			add(b+".simulate."+id, "simulate", f, "--compromise", id, "--samples", "300", "--format", "json")
			add(b+".chokepoints."+id, "chokepoints", f, "--compromise", id)
			render(b+".render."+id, "render", f, "--compromise", id)
		}
		for _, sc := range scenarioNames(t, f) {
			s := nonWord.ReplaceAllString(sc, "_")
			add(b+".scenario."+s, "reach", f, "--scenario", sc)
			add(b+".scenario-json."+s, "reach", f, "--scenario", sc, "--format", "json")
			add(b+".scenario-chokepoints."+s, "chokepoints", f, "--scenario", sc, "--format", "json")
			add(b+".scenario-simulate."+s, "simulate", f, "--scenario", sc, "--samples", "300")
			add(b+".scenario-recommend."+s, "recommend", f, "--scenario", sc, "--format", "json")
			render(b+".scenario-render."+s, "render", f, "--scenario", sc)
		}
	}
	add("diff.widened", "diff", "examples/synnovis-2024.yaml", "testdata/widened/synnovis-2024.yaml")
	add("diff.widened-json", "diff", "examples/synnovis-2024.yaml", "testdata/widened/synnovis-2024.yaml", "--format", "json")
	add("check-base.sarif", "check", "--base", "examples/synnovis-2024.yaml", "testdata/widened/synnovis-2024.yaml", "--today", today, "--format", "sarif")
	add("paths.text", "paths", "examples/synnovis-2024.yaml", "--from", "synnovis", "--to", "gstt", "--k", "5")
	add("paths.json", "paths", "examples/synnovis-2024.yaml", "--from", "synnovis", "--to", "gstt", "--k", "5", "--format", "json")
	return runs
}

var nonWord = regexp.MustCompile(`[^a-zA-Z0-9]`)

// topSeeds is the first n ids of rank's CSV: the nodes whose compromise
// reaches furthest.
func topSeeds(t *testing.T, file string, n int) []string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"rank", file, "--format", "csv"}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("rank %s: exit %d: %s", file, code, stderr.String())
	}
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n")[1:] {
		if fields := strings.Split(line, ","); len(fields) > 1 && len(ids) < n {
			ids = append(ids, fields[1])
		}
	}
	return ids
}

// scenarioNames is the names of the scenarios written in the file itself.
func scenarioNames(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, line := range strings.Split(string(data), "\n") {
		if name, ok := strings.CutPrefix(line, "  - name: "); ok {
			names = append(names, name)
		}
	}
	return names
}

// scriptArgs is the arguments of every script under testdata/script, so
// that a run a script already holds is not kept twice.
func scriptArgs(t *testing.T, dir string) map[string]bool {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "testdata/script/*.txt"))
	seen := map[string]bool{}
	for _, f := range files {
		seen[strings.Join(readScript(t, f).args, "\x00")] = true
	}
	return seen
}

// quoteArgs writes arguments as a user types them, as the scripts do.
func quoteArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = a
		if a == "" || strings.ContainsAny(a, " \"") {
			q[i] = `"` + a + `"`
		}
	}
	return strings.Join(q, " ")
}

// TestEveryCommandOnEveryExample holds the answer of every command on every
// example, byte for byte, so that a change that should alter no answer can
// show that it did not. go test ./cmd/blastradius -update rewrites the
// goldens and removes those no run makes any more.
func TestEveryCommandOnEveryExample(t *testing.T) {
	wd := chdirRoot(t)
	goldens := filepath.Join(wd, "testdata/examples")
	inScripts := scriptArgs(t, wd)
	want := map[string]bool{}
	runs := exampleRuns(t)
	if len(runs) < 200 {
		t.Fatalf("only %d runs", len(runs))
	}
	if *update {
		if err := os.MkdirAll(goldens, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range runs {
		if inScripts[strings.Join(r.args, "\x00")] {
			continue
		}
		want[r.name+".txt"] = true
		t.Run(r.name, func(t *testing.T) {
			args := slices.Clone(r.args)
			out := ""
			if r.out != "" {
				out = filepath.Join(t.TempDir(), r.out)
				args[len(args)-1] = out
			}
			var stdout, stderr bytes.Buffer
			code := run(args, nil, &stdout, &stderr)
			errs := stderr.String()
			if out != "" {
				errs = strings.ReplaceAll(errs, out, r.out)
			}
			var got strings.Builder
			fmt.Fprintf(&got, "args: %s\nexit: %d\n-- stdout --\n%s-- stderr --\n%s", quoteArgs(r.args), code, &stdout, errs)
			if out != "" {
				written, err := os.ReadFile(out)
				if err != nil && code == exitOK {
					t.Fatal(err)
				}
				fmt.Fprintf(&got, "-- %s --\n%s", r.out, written)
			}
			matchGolden(t, filepath.Join(goldens, r.name+".txt"), got.String())
		})
	}
	// A golden that no run makes any more is stale.
	entries, _ := os.ReadDir(goldens)
	for _, e := range entries {
		if want[e.Name()] {
			continue
		}
		if *update {
			os.Remove(filepath.Join(goldens, e.Name()))
			continue
		}
		t.Errorf("testdata/examples/%s: no run makes it (run go test ./cmd/blastradius -update)", e.Name())
	}
}
