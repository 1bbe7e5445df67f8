package graph

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// TestReachWithMatchesRebuilt checks ReachWith against its definition: a
// Run gives what Reach gives on the model rebuilt with the Run's changes
// made, on many random models and random runs.
func TestReachWithMatchesRebuilt(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	runs := 3000
	if testing.Short() {
		runs = 400
	}
	for i := range runs {
		m := randomModel(r)
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		run, changed := randomRun(r, m)
		seeds := []string{m.Nodes()[r.IntN(len(m.Nodes()))].ID}
		mode := model.Modes[r.IntN(2)]
		got, err := g.ReachWith(seeds, mode, run)
		if err != nil {
			t.Fatal(err)
		}
		g2, err := Build(changed)
		if err != nil {
			t.Fatal(err)
		}
		want, err := g2.Reach(seeds, mode)
		if err != nil {
			t.Fatal(err)
		}
		if got.Summary != want.Summary || len(got.Affected) != len(want.Affected) {
			t.Fatalf("run %d: %+v\ngot  %+v\nwant %+v", i, run, got.Summary, want.Summary)
		}
		for k, a := range got.Affected {
			b := want.Affected[k]
			if a.ID != b.ID || !slices.Equal(a.Effects, b.Effects) || len(a.Path) != len(b.Path) {
				t.Fatalf("run %d: %+v\n%s: got %v by %v, want %v by %v", i, run, a.ID, a.Effects, a.Path, b.Effects, b.Path)
			}
		}
	}
}

// randomRun makes a random Run on m, and the model with its changes made.
func randomRun(r *rand.Rand, m *model.Model) (*Run, *model.Model) {
	run := &Run{}
	out := *m
	nodes := map[string]*model.Node{}
	var copyNodes func([]*model.Node) []*model.Node
	copyNodes = func(ns []*model.Node) []*model.Node {
		res := make([]*model.Node, len(ns))
		for i, n := range ns {
			c := *n
			c.Controls = slices.Clone(n.Controls)
			res[i], nodes[n.ID] = &c, &c
		}
		return res
	}
	out.Organisations, out.Services = copyNodes(m.Organisations), copyNodes(m.Services)
	ids := m.Nodes()
	for range r.IntN(3) {
		n := ids[r.IntN(len(ids))]
		c := []string{model.MFA, model.Segmentation}[r.IntN(2)]
		if r.IntN(2) == 0 {
			run.AddControls = append(run.AddControls, NodeControl{n.ID, c})
		} else {
			run.RemoveControls = append(run.RemoveControls, NodeControl{n.ID, c})
		}
	}
	// Removals apply first, then additions (an add wins).
	for _, nc := range run.RemoveControls {
		nd := nodes[nc.ID]
		nd.Controls = slices.DeleteFunc(nd.Controls, func(x string) bool { return x == nc.Control })
	}
	for _, nc := range run.AddControls {
		if nd := nodes[nc.ID]; !nd.Has(nc.Control) {
			nd.Controls = append(nd.Controls, nc.Control)
		}
	}
	nd := len(m.Dependencies)
	if r.IntN(2) == 0 {
		run.Live = NewBitset(nd)
		for i := range nd {
			if r.IntN(4) > 0 {
				run.Live.Set(i)
			}
		}
	}
	for i := range nd {
		if r.IntN(6) == 0 {
			run.Mask = append(run.Mask, i)
		}
	}
	deps := make([]*model.Dependency, nd)
	for i, d := range m.Dependencies {
		c := *d
		c.Alternatives = slices.Clone(d.Alternatives)
		deps[i] = &c
	}
	for i, d := range deps {
		if d.Type.HasAlternatives() && r.IntN(3) == 0 {
			a := ids[r.IntN(len(ids))].ID
			if r.IntN(3) == 0 {
				a = "" // one that stays up
			}
			run.Alternatives = append(run.Alternatives, Alternative{Dependency: i, ID: a})
			if a == "" {
				a = "zz-outside"
				if !slices.ContainsFunc(out.Organisations, func(n *model.Node) bool { return n.ID == a }) {
					out.Organisations = append(out.Organisations, &model.Node{ID: a, Name: a, Class: model.ClassOrganisation, Kind: "other"})
				}
			}
			if a != d.To { // as Build: the consumer may stand in, and never falls through this edge
				d.Alternatives = append(d.Alternatives, a)
			}
		}
	}
	out.Dependencies = nil
	for i, d := range deps {
		if (run.Live == nil || run.Live.Has(i)) && !slices.Contains(run.Mask, i) {
			out.Dependencies = append(out.Dependencies, d)
		}
	}
	return run, &out
}

// TestParallelIndependentOfWorkers checks that Rank, NetworkGains and the
// changes of Chokepoints give the same answer whatever the number of
// workers, report progress up to their total, and stop when cancelled.
func TestParallelIndependentOfWorkers(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 50 {
		m := randomModel(r)
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		seed := []string{m.Nodes()[0].ID}
		var ranks []*Rank
		var gains [][]Gain
		var cps []*Chokepoints
		for _, workers := range []int{1, 2, 7} {
			last := 0
			opt := Options{Workers: workers, Progress: func(done, total int) {
				if done > total || total <= 0 {
					t.Errorf("progress %d of %d", done, total)
				}
				last = max(last, done)
			}}
			opt.Workers = workers
			rk, err := g.Rank(model.Ransomware, Options{Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			ranks = append(ranks, rk)
			gs, err := g.NetworkGains(model.Ransomware, 5, 5, opt)
			if err != nil {
				t.Fatal(err)
			}
			gains = append(gains, gs)
			cp, err := g.Chokepoints(seed, model.Ransomware, nil, 5, Options{Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			cps = append(cps, cp)
			if last == 0 {
				t.Errorf("network gains reported no progress")
			}
		}
		for i := 1; i < len(ranks); i++ {
			if !slices.Equal(ranks[i].Ranking, ranks[0].Ranking) || !slices.Equal(gains[i], gains[0]) || !slices.Equal(cps[i].Changes, cps[0].Changes) {
				t.Fatalf("results differ with the number of workers")
			}
		}
	}
	g, err := Build(randomModel(r))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.Rank(model.Ransomware, Options{Context: ctx}); !errors.Is(err, context.Canceled) {
		t.Errorf("rank, cancelled: %v", err)
	}
	if _, err := g.NetworkGains(model.Ransomware, 5, 5, Options{Context: ctx}); !errors.Is(err, context.Canceled) {
		t.Errorf("network gains, cancelled: %v", err)
	}
}
