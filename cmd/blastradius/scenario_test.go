package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/graph"
)

// TestScenarioMeansTheSameEverywhere runs one scenario whose assumptions
// change the answer through every command that takes --scenario, and checks
// that each reports what reach reports.
func TestScenarioMeansTheSameEverywhere(t *testing.T) {
	wd := chdirRoot(t)
	const file, with, without = "examples/synnovis-2024.yaml", "MFA on the laboratory system", "Qilin ransomware, June 2024"
	runJSON := func(v any, args ...string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := run(append(args, "--format", "json"), nil, &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
		}
		if err := json.Unmarshal(stdout.Bytes(), v); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	var reach, before struct{ Summary graph.Summary }
	runJSON(&reach, "reach", file, "--scenario", with)
	runJSON(&before, "reach", file, "--scenario", without)
	if reach.Summary.Organisations != 0 || before.Summary.Organisations == 0 {
		t.Fatalf("the scenarios no longer differ: %d and %d organisations", reach.Summary.Organisations, before.Summary.Organisations)
	}

	var cp graph.Chokepoints
	runJSON(&cp, "chokepoints", file, "--scenario", with)
	if cp.Summary != reach.Summary {
		t.Errorf("chokepoints: %+v, reach: %+v", cp.Summary, reach.Summary)
	}

	var rk graph.Rank
	runJSON(&rk, "rank", file, "--scenario", with)
	for _, e := range rk.Ranking {
		if e.ID == "synnovis-access" && e.Summary != reach.Summary {
			t.Errorf("rank: synnovis-access %+v, reach: %+v", e.Summary, reach.Summary)
		}
	}

	var ways struct{ Ways []graph.Way }
	runJSON(&ways, "paths", file, "--scenario", with, "--to", "gstt")
	if len(ways.Ways) != 0 {
		t.Errorf("paths: %d ways to gstt, which the scenario spares", len(ways.Ways))
	}

	dir := t.TempDir()
	draw := func(name string) string {
		out := filepath.Join(dir, "x.dot")
		renderTo(t, out, file, "--scenario", name)
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	dot := draw(with)
	if dot == draw(without) {
		t.Error("render: the scenario's assumptions change nothing in the drawing")
	}
	for _, line := range strings.Split(dot, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), `"gstt" [`) {
			continue
		}
		_, class, _ := strings.Cut(line, `class="`)
		class, _, _ = strings.Cut(class, `"`)
		if !slices.Contains(strings.Fields(class), "unaffected") {
			t.Errorf("render: gstt, which the scenario spares, is drawn affected: %s", line)
		}
	}
	golden := filepath.Join(wd, "testdata", "render-scenario-assume.dot")
	if *update {
		if err := os.WriteFile(golden, []byte(dot), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want, err := os.ReadFile(golden); err != nil || string(want) != dot {
		t.Errorf("render: the DOT differs from %s (run go test ./cmd/blastradius -update to accept): %v\n%s", golden, err, diff(string(want), dot))
	}
}

// scenarioCommands are the commands that take --scenario, each with the
// flags that make it quick, and whether it takes --compromise too.
var scenarioCommands = []struct {
	name       string
	args       []string
	compromise bool
}{
	{"reach", []string{"--format", "json"}, true},
	{"rank", []string{"--format", "json"}, false},
	{"rank", []string{"--risk", "--samples", "50", "--format", "json"}, false},
	{"paths", []string{"--to", "gstt", "--format", "json"}, false},
	{"chokepoints", []string{"--format", "json"}, true},
	{"render", nil, true},
	{"simulate", []string{"--samples", "200", "--format", "json"}, true},
	{"recommend", []string{"--samples", "50", "--budget", "1", "--format", "json"}, true},
}

// runScenario runs a command of scenarioCommands on the Synnovis example
// and returns what it wrote, with the scenario's name left out: the
// file it drew for render, else its JSON without "scenario".
func runScenario(t *testing.T, name string, args []string, extra ...string) string {
	t.Helper()
	all := append([]string{name, "examples/synnovis-2024.yaml"}, args...)
	all = append(all, extra...)
	out := ""
	if name == "render" {
		out = filepath.Join(t.TempDir(), "x.dot")
		all = append(all, "--title", "T", "-o", out)
	}
	var stdout, stderr bytes.Buffer
	if code := run(all, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("%s: exit %d: %s", strings.Join(all, " "), code, stderr.String())
	}
	if out != "" {
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	var v map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &v); err != nil {
		t.Fatalf("%s: %v", strings.Join(all, " "), err)
	}
	delete(v, "scenario")
	data, _ := json.Marshal(v)
	return string(data)
}

// --mode beside --scenario overrides the scenario's mode, in every command
// that takes a scenario: the Qilin scenario (ransomware) run in
// exfiltration is the scenario of the same compromise that the file
// writes in exfiltration, and not the Qilin scenario as written.
func TestScenarioModeOverrides(t *testing.T) {
	chdirRoot(t)
	const ransom, exfil = "Qilin ransomware, June 2024", "Data published, 20 June 2024"
	for _, c := range scenarioCommands {
		t.Run(c.name, func(t *testing.T) {
			overridden := runScenario(t, c.name, c.args, "--scenario", ransom, "--mode", "exfiltration")
			if want := runScenario(t, c.name, c.args, "--scenario", exfil); overridden != want {
				t.Errorf("--scenario %q --mode exfiltration differs from --scenario %q:\n%s", ransom, exfil, diff(want, overridden))
			}
			if overridden == runScenario(t, c.name, c.args, "--scenario", ransom) {
				t.Errorf("--mode exfiltration changed nothing")
			}
			if same := runScenario(t, c.name, c.args, "--scenario", ransom, "--mode", "ransomware"); same != runScenario(t, c.name, c.args, "--scenario", ransom) {
				t.Errorf("--mode ransomware, the scenario's own mode, changed the result")
			}
		})
	}
}

// Every command that takes a scenario says the rule in its --help, and
// refuses --compromise beside --scenario.
func TestScenarioFlagsAgree(t *testing.T) {
	chdirRoot(t)
	for _, c := range scenarioCommands {
		var stdout, stderr bytes.Buffer
		run([]string{c.name, "-h"}, nil, &stdout, &stderr)
		help := strings.Join(strings.Fields(stdout.String()), " ")
		if !strings.Contains(help, "--scenario NAME") || !strings.Contains(help, "beside --scenario it overrides the scenario's mode") {
			t.Errorf("%s --help does not say that --mode overrides a scenario's mode:\n%s", c.name, stdout.String())
		}
		if !c.compromise {
			continue
		}
		stdout.Reset()
		stderr.Reset()
		code := run([]string{c.name, "examples/synnovis-2024.yaml", "--scenario", "Qilin ransomware, June 2024", "--compromise", "synnovis", "-o", filepath.Join(t.TempDir(), "x.dot")}, nil, &stdout, &stderr)
		if code != exitError || !strings.Contains(stderr.String(), "give --compromise or --scenario, not both") {
			t.Errorf("%s --scenario --compromise: exit %d, %q", c.name, code, stderr.String())
		}
	}
}
