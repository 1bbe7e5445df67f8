package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// TestRiskCommandsOnExamples runs simulate, rank --risk and recommend on
// every example, in text and JSON: each exits 0, and the JSON parses.
func TestRiskCommandsOnExamples(t *testing.T) {
	files, _ := filepath.Glob("../../examples/*.yaml")
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	for _, file := range files {
		m, err := model.Load(file)
		if err != nil {
			t.Fatal(err)
		}
		seed := m.Nodes()[0].ID
		for _, args := range [][]string{
			{"simulate", file, "--compromise", seed, "--samples", "200"},
			{"rank", file, "--risk", "--samples", "200"},
			{"recommend", file, "--samples", "100", "--budget", "2"},
		} {
			for _, format := range []string{"text", "json"} {
				var out, errb bytes.Buffer
				a := append(append([]string{}, args...), "--format", format)
				if code := run(a, nil, &out, &errb); code != 0 {
					t.Errorf("%v: exit %d: %s", a, code, errb.String())
					continue
				}
				if format == "json" && !json.Valid(out.Bytes()) {
					t.Errorf("%v: invalid JSON", a)
				}
			}
		}
	}
}
