package graph_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
	"github.com/blastradius/blastradius/render"
)

// pair is the smallest model that holds one relation: the organisation
// "a" depends on "p" by r (or, for operator, p runs the service "a").
func pair(r model.RelationInfo, controls ...string) *model.Model {
	m := &model.Model{Name: "pair", File: "pair.yaml"}
	p := &model.Node{ID: "p", Name: "p", Class: model.ClassOrganisation, Kind: "supplier", Patients: 10}
	a := &model.Node{ID: "a", Name: "a", Class: model.ClassOrganisation, Kind: "trust", Patients: 100, Controls: controls}
	m.Organisations = []*model.Node{p}
	if r.Written {
		m.Organisations = append(m.Organisations, a)
		m.Dependencies = []*model.Dependency{{From: "a", To: "p", Type: r.Relation, Critical: true, Likelihood: 0.5, Pos: model.Pos{Line: 7, Column: 5}}}
	} else {
		a.Class, a.Kind, a.Patients, a.Operator = model.ClassService, "epr", 0, "p"
		m.Services = []*model.Node{a}
	}
	return m
}

// expected is what the declaration says a compromise of the provider does
// to the consumer of one critical dependency, in a mode.
func expected(r model.RelationInfo, mode model.Mode) (graph.Effect, bool) {
	switch {
	case r.Carries.Has(model.Compromise):
		return graph.Compromised, true
	case mode == model.Ransomware && r.Carries.Has(model.Outage):
		return graph.Disrupted, true
	case mode == model.Ransomware && r.Carries.Has(model.Degradation):
		return graph.Degraded, true
	case r.Carries.Has(model.Exposure):
		return graph.Exposed, true
	}
	return graph.Unaffected, false
}

// TestEveryRelationThroughEveryAnalysis walks each declared relation through
// Reach, ReachWith, Paths, Chokepoints, Rank, NetworkGains, Entries,
// RankRisk, Simulate, Recommend, Diff and the drawing, and checks that each
// does what the declaration says. A relation added to the declaration is
// tested here without another line.
func TestEveryRelationThroughEveryAnalysis(t *testing.T) {
	for _, r := range model.AllRelations() {
		t.Run(string(r.Relation), func(t *testing.T) {
			m := pair(r)
			g, err := graph.Build(m)
			if err != nil {
				t.Fatal(err)
			}
			for _, mode := range model.Modes {
				want, ok := expected(r, mode)
				im, err := g.Reach([]string{"p"}, mode)
				if err != nil {
					t.Fatal(err)
				}
				got := im.Of("a")
				switch {
				case !ok && got != nil:
					t.Errorf("%s: reach: a is %v; the declaration carries nothing there", mode, got.Impact)
				case ok && (got == nil || got.Impact != want):
					t.Fatalf("%s: reach: a is %v, want %v", mode, got, want)
				case ok && !slices.Equal(got.Via, []model.Relation{r.Relation}):
					t.Errorf("%s: reach: a reached via %v, want [%s]", mode, got.Via, r.Relation)
				}
				if !ok {
					continue
				}
				// Both ways: the provider suffers the same from the consumer.
				back, err := g.Reach([]string{"a"}, mode)
				if err != nil {
					t.Fatal(err)
				}
				if got := back.Of("p"); r.BothWays != (got != nil && got.Impact == want) {
					t.Errorf("%s: reach from the consumer: p is %v; both ways is %v", mode, got, r.BothWays)
				}
				// A world in which no dependency holds spares a, unless
				// nothing can be removed (an operator).
				none, err := g.ReachWith([]string{"p"}, mode, &graph.Run{Live: graph.NewBitset(len(m.Dependencies))})
				if err != nil {
					t.Fatal(err)
				}
				if r.Written == (none.Of("a") != nil) {
					t.Errorf("%s: with no dependency live, a is %v", mode, none.Of("a"))
				}
				ways, err := g.Paths("p", "a", mode, 3)
				if err != nil {
					t.Fatal(err)
				}
				if len(ways) == 0 || !slices.Contains(ways[0].Steps[len(ways[0].Steps)-1].Relations, r.Relation) {
					t.Errorf("%s: paths: %+v, want a way by %s", mode, ways, r.Relation)
				} else if l := ways[0].Likelihood; r.Written && l != 0.5 || !r.Written && l != 1 {
					t.Errorf("%s: paths: likelihood %v", mode, l)
				}
				cp, err := g.Chokepoints([]string{"p"}, mode, nil, 5)
				if err != nil {
					t.Fatal(err)
				}
				wantCut := []graph.CutEdge{{From: "a", To: "p", Type: r.Relation, Line: 7, Column: 5}}
				if !r.Written {
					// a is the provider's service: no dependency to
					// remove, and a service is not an organisation to
					// protect. Every written dependency, hosting among
					// them, can be cut.
					wantCut = []graph.CutEdge{}
				}
				if !slices.Equal(cp.Cut.Dependencies, wantCut) {
					t.Errorf("%s: cut %+v, want %+v", mode, cp.Cut.Dependencies, wantCut)
				}
				rk, err := g.Rank(mode, graph.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if i := slices.IndexFunc(rk.Ranking, func(e graph.RankEntry) bool { return e.ID == "p" }); rk.Ranking[i].Summary != im.Summary {
					t.Errorf("%s: rank %+v, want p with %+v", mode, rk.Ranking[i], im.Summary)
				}
				walkRisk(t, g, r, mode, im)
			}
			// Each control that stops an effect stops it, as a control of
			// the model, as one a run adds, and no more once a run removes it.
			for effect, control := range r.Stops {
				stopped, err := graph.Build(pair(r, control))
				if err != nil {
					t.Fatal(err)
				}
				im, _ := stopped.Reach([]string{"p"}, model.Exfiltration)
				if a := im.Of("a"); effect == model.Compromise && a != nil && a.Impact == graph.Compromised {
					t.Errorf("%s on the consumer does not stop compromise", control)
				}
				added, _ := g.ReachWith([]string{"p"}, model.Exfiltration, &graph.Run{AddControls: []graph.NodeControl{{ID: "a", Control: control}}})
				if !sameImpact(im, added) {
					t.Errorf("%s added by a run: %+v, want %+v", control, added.Affected, im.Affected)
				}
				freed, _ := stopped.ReachWith([]string{"p"}, model.Exfiltration, &graph.Run{RemoveControls: []graph.NodeControl{{ID: "a", Control: control}}})
				plain, _ := g.Reach([]string{"p"}, model.Exfiltration)
				if !sameImpact(freed, plain) {
					t.Errorf("%s removed by a run: %+v, want %+v", control, freed.Affected, plain.Affected)
				}
				gains, err := g.NetworkGains(model.Exfiltration, 5, 5, graph.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.ContainsFunc(gains, func(x graph.Gain) bool { return x.Control == control && x.ID == "a" }) {
					t.Errorf("network gains %+v: no %s on a", gains, control)
				}
			}
			// Diff sees the dependency come, and the blast radius grow.
			if r.Written {
				before := pair(r)
				before.Dependencies = nil
				d, err := graph.Diff(before, m, "2026-01-01")
				if err != nil {
					t.Fatal(err)
				}
				if len(d.Dependencies.Added) != 1 || d.Dependencies.Added[0].Type != r.Relation || d.MaxIncrease != 1 {
					t.Errorf("diff: %+v, max increase %d", d.Dependencies, d.MaxIncrease)
				}
			}
			// The drawing draws a line of it (its style and its words in
			// the legend are render's, tested there).
			dot := string(render.DOT(g, render.Options{Title: "t"}).DOT)
			if line := `"p" -> "a" [`; !strings.Contains(dot, line) || !strings.Contains(dot, `class="`+string(r.Relation)+`"];`) {
				t.Errorf("drawing: no line from p to a of %s:\n%s", r.Relation, dot)
			}
		})
	}
}

// opensWayIn says, in the words of docs/model.md, whether a dependency of
// r makes its provider a way into the consumer: compromise crosses it one
// way, and a control of the consumer can stop it.
func opensWayIn(r model.RelationInfo) bool {
	return r.Carries.Has(model.Compromise) && !r.BothWays && r.Stops[model.Compromise] != ""
}

// walkRisk checks the analyses of likelihood on the pair of r, in a mode,
// against the declaration: the provider's entry, its expected radius, the
// chance the consumer is affected, and the first advice for the provider's
// compromise. im is Reach from the provider.
func walkRisk(t *testing.T, g *graph.Graph, r model.RelationInfo, mode model.Mode, im *graph.Impact) {
	t.Helper()
	want, ok := expected(r, mode)
	entry, assumed, err := g.Entries(nil)
	if err != nil {
		t.Fatal(err)
	}
	const p = 1 // "a" < "p": nodes are in id order
	supplier := 0.08
	if opensWayIn(r) {
		supplier *= model.AccessFactor
	}
	if !assumed[p] || math.Abs(entry[p]-supplier) > 1e-12 {
		t.Errorf("%s: entry of the provider %v (assumed %v), want %v", mode, entry[p], assumed[p], supplier)
	}
	risk, err := g.RankRisk(mode, nil, graph.RiskOptions{Samples: 400, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(risk.Ranking, func(e graph.RiskEntry) bool { return e.ID == "p" })
	e := risk.Ranking[i]
	if e.Summary != im.Summary || e.Entry != entry[p] {
		t.Errorf("%s: risk of p %+v, want the summary %+v and entry %v", mode, e, im.Summary, entry[p])
	}
	// a, an organisation unless p runs it, is affected in about half of
	// the worlds: the dependency's likelihood.
	if orgs := e.ExpectedOf(graph.MeasureOrganisations).Mean / e.Entry; ok && r.Written != (orgs > 1.3 && orgs < 1.7) || (!ok || !r.Written) && orgs != 1 {
		t.Errorf("%s: risk of p: %v organisations expected per attack", mode, orgs)
	}
	sim, err := g.Simulate([]string{"p"}, mode, nil, graph.SimulateOptions{Exact: true})
	if err != nil {
		t.Fatal(err)
	}
	j := slices.IndexFunc(sim.Nodes, func(n graph.SimNode) bool { return n.ID == "a" })
	switch {
	case !ok && j >= 0:
		t.Errorf("%s: simulate: a is affected with chance %v; the declaration carries nothing there", mode, sim.Nodes[j].Affected)
	case ok && j < 0:
		t.Errorf("%s: simulate: a is never affected", mode)
	case ok:
		chance := map[graph.Effect]float64{graph.Compromised: sim.Nodes[j].Effects.Compromised, graph.Disrupted: sim.Nodes[j].Effects.Disrupted,
			graph.Degraded: sim.Nodes[j].Effects.Degraded, graph.Exposed: sim.Nodes[j].Effects.Exposed}[want]
		if l := map[bool]float64{true: 0.5, false: 1}[r.Written]; sim.Nodes[j].Affected != l || chance != l {
			t.Errorf("%s: simulate: a affected with chance %v, %s %v; want %v", mode, sim.Nodes[j].Affected, want, chance, l)
		}
	}
	rec, err := g.Recommend(mode, graph.RecommendOptions{Seeds: []string{"p"}, Budget: 1, Samples: 200, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var advice []string
	for _, s := range rec.Steps {
		advice = append(advice, s.Description)
	}
	var wantAdvice []string
	switch c := r.Stops[model.Compromise]; {
	case !ok || !r.Written:
		// Nothing reaches a, or p runs it: no organisation to spare.
	case want == graph.Compromised && c != "":
		wantAdvice = []string{"add " + c + " to a"}
	default:
		wantAdvice = []string{"remove the " + string(r.Relation) + " dependency of a on p"}
	}
	if !slices.Equal(advice, wantAdvice) {
		t.Errorf("%s: recommend %q, want %q", mode, advice, wantAdvice)
	}
}

func sameImpact(a, b *graph.Impact) bool {
	if a.Summary != b.Summary || len(a.Affected) != len(b.Affected) {
		return false
	}
	for i := range a.Affected {
		x, y := a.Affected[i], b.Affected[i]
		if x.ID != y.ID || !slices.Equal(x.Effects, y.Effects) || !slices.Equal(x.Via, y.Via) {
			return false
		}
	}
	return true
}
