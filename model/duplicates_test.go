package model_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

const dupNodes = `version: 1
organisations:
  - {id: a, kind: trust}
  - {id: b, kind: trust}
services:
  - {id: s, kind: epr, operator: b}
  - {id: t, kind: epr}
  - {id: n, kind: network}
dependencies:
`

func TestDuplicateDependenciesWarn(t *testing.T) {
	src := dupNodes + `  - {from: a, to: n, type: network}
  - {from: a, to: s, type: service, alternatives: [t, b]}
  - {from: n, to: a, type: network, note: listed by the other side}
  - {from: a, to: s, type: service, alternatives: [b, t], note: same again}
  - {from: a, to: n, type: network}
`
	m, err := model.Parse("d.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`d.yaml:12:5: warning: the network link between "a" and "n" is listed from both sides; the second listing adds nothing (first at d.yaml:10:5; a network link has no direction: one listing is enough)`,
		`d.yaml:13:5: warning: the service dependency of "a" on "s" is listed twice; the second listing adds nothing (first at d.yaml:11:5; remove one)`,
		`d.yaml:14:5: warning: the network link between "a" and "n" is listed twice; the second listing adds nothing (first at d.yaml:10:5; remove one)`,
	}
	if len(m.Warnings) != len(want) {
		t.Fatalf("got %d warnings, want %d: %v", len(m.Warnings), len(want), m.Warnings)
	}
	for i, w := range m.Warnings {
		if w.Error() != want[i] {
			t.Errorf("warning %d:\n got %s\nwant %s", i, w.Error(), want[i])
		}
	}
	if len(m.Dependencies) != 2 {
		t.Errorf("kept %d dependencies, want the 2 first listings", len(m.Dependencies))
	}
	// The model with the repeats reaches what the model without them does.
	plain, err := model.Parse("p.yaml", []byte(dupNodes+"  - {from: a, to: n, type: network}\n  - {from: a, to: s, type: service, alternatives: [t, b]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range []string{"a", "b", "n", "s"} {
		if got, want := reachJSON(t, m, seed), reachJSON(t, plain, seed); got != want {
			t.Errorf("seed %s: with repeats %s, without %s", seed, got, want)
		}
	}
}

// graph.Build takes a model whose dependency list repeats an entry, as a
// model built by hand or by a program may, and reaches the same nodes.
func TestGraphTakesRepeatedDependencies(t *testing.T) {
	plain, err := model.Parse("p.yaml", []byte(dupNodes+"  - {from: a, to: n, type: network}\n  - {from: a, to: s, type: service}\n  - {from: b, to: a, type: access}\n"))
	if err != nil {
		t.Fatal(err)
	}
	twice := *plain
	twice.Dependencies = append(append([]*model.Dependency{}, plain.Dependencies...), plain.Dependencies...)
	for _, seed := range []string{"a", "b", "n", "s"} {
		if got, want := reachJSON(t, &twice, seed), reachJSON(t, plain, seed); got != want {
			t.Errorf("seed %s: with repeats %s, without %s", seed, got, want)
		}
	}
}

func reachJSON(t *testing.T, m *model.Model, seed string) string {
	t.Helper()
	g, err := graph.Build(m)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	var out []string
	for _, mode := range model.Modes {
		imp, err := g.Reach([]string{seed}, mode)
		if err != nil {
			t.Fatalf("Reach: %v", err)
		}
		imp.Model = ""
		b, _ := json.Marshal(imp)
		out = append(out, string(b))
	}
	return strings.Join(out, "\n")
}

func TestConflictingListingsAreErrors(t *testing.T) {
	cases := []struct{ deps, want string }{
		{"  - {from: a, to: s, type: service}\n  - {from: a, to: s, type: service, critical: false}\n",
			`d.yaml:11:5: the service dependency of "a" on "s" is listed twice, differently: critical false here, true at line 10 (first at d.yaml:10:5; keep one listing, with the values you mean)`},
		{"  - {from: a, to: s, type: service, alternatives: [t]}\n  - {from: a, to: s, type: service}\n",
			`d.yaml:11:5: the service dependency of "a" on "s" is listed twice, differently: alternatives none here, [t] at line 10 (`},
		{"  - {from: a, to: n, type: network, likelihood: 0.5}\n  - {from: n, to: a, type: network}\n",
			`d.yaml:11:5: the network link between "a" and "n" is listed twice, differently: likelihood 1 here, 0.5 at line 10 (`},
	}
	for _, c := range cases {
		_, err := model.Parse("d.yaml", []byte(dupNodes+c.deps))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("got %v\nwant %s", err, c.want)
		}
	}
}
