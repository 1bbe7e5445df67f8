package graph

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blastradius/blastradius/model"
	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/simple"
)

// without returns a copy of m with the node and its dependencies gone.
func without(m *model.Model, id string) *model.Model {
	out := *m
	out.Organisations, out.Services, out.Dependencies = nil, nil, nil
	for _, n := range m.Organisations {
		if n.ID != id {
			out.Organisations = append(out.Organisations, n)
		}
	}
	for _, n := range m.Services {
		if n.ID != id {
			c := *n
			if c.Operator == id {
				c.Operator = ""
			}
			out.Services = append(out.Services, &c)
		}
	}
	for _, d := range m.Dependencies {
		if d.From != id && d.To != id && !slices.Contains(d.Alternatives, id) {
			out.Dependencies = append(out.Dependencies, d)
		}
	}
	return &out
}

// applyGain makes the change a Gain describes in a copy of the model.
func applyGain(m *model.Model, gn Gain) *model.Model {
	if gn.Control == "alternative" {
		out := *m
		out.Dependencies = nil
		for _, d := range m.Dependencies {
			if d.From == gn.ID && d.To == gn.To && d.Type == model.Service {
				c := *d
				c.Critical = false
				d = &c
			}
			out.Dependencies = append(out.Dependencies, d)
		}
		return &out
	}
	return m.Apply([]model.Change{{Kind: model.AddControl, ID: gn.ID, Control: gn.Control}})
}

func affected(t *testing.T, m *model.Model, seeds []string, mode model.Mode) *Impact {
	t.Helper()
	g, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	im, err := g.Reach(seeds, mode)
	if err != nil {
		t.Fatal(err)
	}
	return im
}

func TestChokepointsAreSound(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	checked := [3]int{}
	for run := range 1500 {
		m := randomModel(r)
		g, _ := Build(m)
		nodes := m.Nodes()
		seeds := []string{nodes[r.IntN(len(nodes))].ID}
		mode := model.Modes[r.IntN(2)]
		cp, err := g.Chokepoints(seeds, mode, nil, 1000)
		if err != nil {
			t.Fatal(err)
		}
		base, _ := g.Reach(seeds, mode)
		if cp.Summary != base.Summary {
			t.Fatalf("summary %+v, reach %+v", cp.Summary, base.Summary)
		}
		for _, d := range cp.Dominators {
			im := affected(t, without(m, d.ID), seeds, mode)
			for _, o := range d.Dominates {
				if im.Of(o) != nil {
					t.Fatalf("run %d: %s dominates %s, yet %s is affected without it%s", run, d.ID, o, o, dump(m))
				}
				checked[0]++
			}
		}
		if cp.Cut != nil && !cp.Cut.Unbreakable {
			var rm []model.Change
			for _, e := range cp.Cut.Dependencies {
				rm = append(rm, model.Change{Kind: model.RemoveDependency, From: e.From, To: e.To, Type: e.Type})
			}
			im := affected(t, m.Apply(rm), seeds, mode)
			for _, o := range cp.Cut.Protect {
				if im.Of(o) != nil {
					t.Fatalf("run %d: cut %v leaves %s affected%s", run, cp.Cut.Dependencies, o, dump(m))
				}
				checked[1]++
			}
		}
		for _, gn := range cp.Changes {
			im := affected(t, applyGain(m, gn), seeds, mode)
			got := Gain{Organisations: base.Summary.Organisations - im.Summary.Organisations, Patients: base.Summary.Patients - im.Summary.Patients, Disruptions: base.Summary.Disrupted - im.Summary.Disrupted}
			if got.Organisations != gn.Organisations || got.Patients != gn.Patients || got.Disruptions != gn.Disruptions {
				t.Fatalf("run %d: %s claims %+v, the model changed gives %+v%s", run, gn.Change, gn, got, dump(m))
			}
			checked[2]++
		}
	}
	if checked[0] == 0 || checked[1] == 0 || checked[2] == 0 {
		t.Errorf("too little checked: %v", checked)
	}
}

func TestCutIsMinimalOnAKnownNetwork(t *testing.T) {
	// Two disjoint routes from s to t, one of them through a bottleneck of
	// one dependency; a third route through an operator cannot be cut.
	g := parse(t, `organisations:
  - {id: s, kind: supplier}
  - {id: a, kind: trust}
  - {id: b, kind: trust}
  - {id: t, kind: trust}
dependencies:
  - {from: a, to: s, type: access}
  - {from: b, to: s, type: access}
  - {from: t, to: a, type: service}
  - {from: t, to: b, type: data}
  - {from: t, to: b, type: service}
`)
	cp, err := g.Chokepoints([]string{"s"}, model.Ransomware, []string{"t"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if cp.Cut.Size != 2 {
		t.Errorf("cut %+v, want the two access dependencies", cp.Cut.Dependencies)
	}
	if _, err := g.Chokepoints([]string{"s"}, model.Ransomware, []string{"s"}, 10); err == nil {
		t.Error("protecting a seed: no error")
	}
	cp, _ = g.Chokepoints([]string{"a"}, model.Ransomware, []string{"b"}, 10)
	if len(cp.Cut.Spared) != 1 || cp.Cut.Size != 0 {
		t.Errorf("an unreached organisation: %+v", cp.Cut)
	}
}

func TestNetworkGainsAreExact(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	total := func(m *model.Model, mode model.Mode) Summary {
		g, _ := Build(m)
		rk, _ := g.Rank(mode, RankOptions{})
		var s Summary
		for _, e := range rk.Ranking {
			s.Organisations += e.Organisations
			s.Patients += e.Patients
			s.Disrupted += e.Disrupted
		}
		return s
	}
	checked := 0
	for range 200 {
		m := randomModel(r)
		g, _ := Build(m)
		mode := model.Modes[r.IntN(2)]
		gains, cov, err := g.NetworkGainsCovered(mode, 50, 50, RankOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if cov.Tried+cov.RuledOut+cov.Untried != cov.Candidates || cov.Tried < len(gains) || (cov.Untried > 0) != (cov.Candidates > 50) {
			t.Fatalf("coverage %+v does not add up (%d gains, 50 tries)%s", cov, len(gains), dump(m))
		}
		base := total(m, mode)
		for _, gn := range gains {
			after := total(applyGain(m, gn), mode)
			if base.Organisations-after.Organisations != gn.Organisations || base.Patients-after.Patients != gn.Patients || base.Disrupted-after.Disrupted != gn.Disruptions {
				t.Fatalf("%s claims %+v; ranks give %d, %d, %d%s", gn.Change, gn, base.Organisations-after.Organisations, base.Patients-after.Patients, base.Disrupted-after.Disrupted, dump(m))
			}
			checked++
		}
	}
	if checked == 0 {
		t.Error("nothing checked")
	}
}

// TestMaxFlowMatchesGonum hands the same networks to gonum's Dinic.
func TestMaxFlowMatchesGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 4))
	checked := 0
	for range 1000 {
		m := randomModel(r)
		g, _ := Build(m)
		nodes := m.Nodes()
		seed, _ := g.resolve([]string{nodes[r.IntN(len(nodes))].ID})
		w := newWorkspace(g)
		mode := model.Modes[r.IntN(2)]
		w.run(seed, mode, true)
		var targets []int32
		for _, v := range w.touched {
			if v != seed[0] && w.bits[v] != 0 && r.IntN(2) == 0 {
				targets = append(targets, v)
			}
		}
		if len(targets) == 0 {
			continue
		}
		fn := newFlowNet(g.states(seed, mode), targets, false)
		got, _, ok := fn.maxFlow()
		if !ok {
			continue
		}
		wg := simple.NewWeightedDirectedGraph(0, math.Inf(1))
		for i := 0; i < fn.n+2; i++ {
			wg.AddNode(simple.Node(i))
		}
		for _, p := range fn.pairs {
			wg.SetWeightedEdge(simple.WeightedEdge{F: simple.Node(p.a), T: simple.Node(p.b), W: float64(fn.cap[p])})
		}
		want := network.MaxFlowDinic(wg, simple.Node(fn.n), simple.Node(fn.n+1), -1)
		if math.Abs(want-float64(got)) > 0.5 {
			t.Fatalf("flow %d, gonum %v%s", got, want, dump(m))
		}
		checked++
	}
	if checked < 100 {
		t.Errorf("only %d networks checked", checked)
	}
}
