package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestRankRiskReadsTheScenario is the example of a scenario that assumes
// mfa on the only consumer of a supplier: rank --risk --scenario must rank
// as if mfa were written on it, and differently from the model as it is.
func TestRankRiskReadsTheScenario(t *testing.T) {
	const body = `version: 1
name: mfa on the consumer
organisations:
  - {id: a, kind: supplier}
  - {id: b, kind: trust%s}
dependencies:
  - {from: b, to: a, type: access}
scenarios:
  - name: mfa on b
    compromise: [a]
    assume:
      controls: {b: [mfa]}
`
	dir := t.TempDir()
	write := func(name, controls string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(fmt.Sprintf(body, controls)), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	plain, written := write("plain.yaml", ""), write("written.yaml", ", controls: [mfa]")
	expected := func(args ...string) map[string]float64 {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := run(append(append([]string{"rank"}, args...), "--risk", "--format", "json"), nil, &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
		}
		var rk struct {
			Ranking []struct {
				ID       string
				Expected float64 `json:"expected_organisations"`
			}
		}
		if err := json.Unmarshal(stdout.Bytes(), &rk); err != nil {
			t.Fatal(err)
		}
		out := map[string]float64{}
		for _, e := range rk.Ranking {
			out[e.ID] = e.Expected
		}
		return out
	}
	for _, tc := range []struct {
		name string
		args []string
		a, b float64
	}{
		{"as written", []string{plain}, 0.24, 0.04},
		{"scenario", []string{plain, "--scenario", "mfa on b"}, 0.12, 0.02},
		{"mfa written", []string{written}, 0.12, 0.02},
	} {
		got := expected(tc.args...)
		if !near(got["a"], tc.a) || !near(got["b"], tc.b) {
			t.Errorf("%s: a %.3f, b %.3f; want %.2f and %.2f", tc.name, got["a"], got["b"], tc.a, tc.b)
		}
	}
}

func near(x, y float64) bool { return x-y < 1e-9 && y-x < 1e-9 }
