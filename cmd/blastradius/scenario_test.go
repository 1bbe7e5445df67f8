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
