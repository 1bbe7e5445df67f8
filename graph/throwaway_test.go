package graph_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// declare adds a throw-away relation to the declaration for the length of
// the test, and rebuilds graph's tables of it before and after.
func declare(t *testing.T, r model.RelationInfo) {
	undo := model.Declare(r)
	graph.Redeclare()
	t.Cleanup(func() { undo(); graph.Redeclare() })
}

// TestARelationLikeAccessIsAccess declares "support", a relation that
// differs from access in nothing but its name, and runs every analysis on
// the pair of each: any analysis that names access rather than reading
// what the declaration says of it treats the two apart, and fails here.
func TestARelationLikeAccessIsAccess(t *testing.T) {
	access := *model.Access.Info()
	support := access
	support.Relation = "support"
	declare(t, support)
	for _, mode := range model.Modes {
		want := analyses(t, pair(access), mode)
		got := analyses(t, pair(support), mode)
		for name, w := range want {
			// The answers may name the relation, and only that differs.
			g := bytes.ReplaceAll(got[name], []byte(`"support"`), []byte(`"access"`))
			g = bytes.ReplaceAll(g, []byte(`the support dependency`), []byte(`the access dependency`))
			if !bytes.Equal(g, w) {
				t.Errorf("%s: %s treats support apart from access:\n got %s\nwant %s", mode, name, g, w)
			}
		}
	}
}

// analyses runs every analysis on m in a mode, each answer as JSON.
func analyses(t *testing.T, m *model.Model, mode model.Mode) map[string][]byte {
	t.Helper()
	g, err := graph.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	add := func(name string, v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = b
	}
	im, err := g.Reach([]string{"p"}, mode)
	add("reach", im, err)
	back, err := g.Reach([]string{"a"}, mode)
	add("reach from the consumer", back, err)
	ways, err := g.Paths("p", "a", mode, 3)
	add("paths", ways, err)
	cp, err := g.Chokepoints([]string{"p"}, mode, nil, 5)
	add("chokepoints", cp, err)
	rk, err := g.Rank(mode, graph.Options{})
	add("rank", rk, err)
	gains, err := g.NetworkGains(mode, 5, 5, graph.Options{})
	add("network gains", gains, err)
	entry, assumed, err := g.Entries(nil)
	add("entries", []any{entry, assumed}, err)
	risk, err := g.RankRisk(mode, nil, graph.RiskOptions{Samples: 200, Seed: 3})
	add("risk", risk, err)
	sim, err := g.Simulate([]string{"p"}, mode, nil, graph.SimulateOptions{Samples: 500, Seed: 3})
	add("simulate", sim, err)
	exact, err := g.Simulate([]string{"p"}, mode, nil, graph.SimulateOptions{Exact: true})
	add("simulate exactly", exact, err)
	rec, err := g.Recommend(mode, graph.RecommendOptions{Samples: 200, Seed: 3})
	add("recommend", rec, err)
	one, err := g.Recommend(mode, graph.RecommendOptions{Seeds: []string{"p"}, Samples: 200, Seed: 3})
	add("recommend for a scenario", one, err)
	rep, err := graph.Check(m, "2026-01-01")
	add("check", rep, err)
	before := *m
	before.Dependencies = nil
	d, err := graph.Diff(&before, m, "2026-01-01")
	add("diff", d, err)
	return out
}
