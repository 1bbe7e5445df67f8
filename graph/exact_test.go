package graph

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// unaffectedNode returns a copy of m in which nothing reaches x: its own
// dependencies, its network links and its operator gone. x still stands
// as an alternative, up.
func unaffectedNode(m *model.Model, x string) *model.Model {
	out := *m
	out.Services, out.Dependencies = nil, nil
	for _, n := range m.Services {
		if n.ID == x && n.Operator != "" {
			c := *n
			c.Operator = ""
			n = &c
		}
		out.Services = append(out.Services, n)
	}
	for _, d := range m.Dependencies {
		if d.From != x && (d.To != x || d.Type.Info().BothWays == false) {
			out.Dependencies = append(out.Dependencies, d)
		}
	}
	return &out
}

// fixedOf is what the seeds take whatever the controls.
func fixedOf(g *Graph, seeds []string, mode model.Mode) map[int32]bool {
	idx, _ := g.resolve(seeds)
	w := newWorkspace(g)
	w.run(idx, mode, false)
	return w.unstoppable(idx)
}

// dominatorPairs compares the dominators chokepoints reports with those
// found by keeping each node in turn unaffected, on random models: it
// returns how many true (dominator, organisation) pairs are missed, how
// many are claimed falsely, and how many there are.
func dominatorPairs(t *testing.T, runs int, seed uint64) (missing, wrong, total int, first string) {
	r := rand.New(rand.NewPCG(seed, 7))
	for range runs {
		m := randomModel(r)
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		nodes := m.Nodes()
		seeds := []string{nodes[r.IntN(len(nodes))].ID}
		mode := model.Modes[r.IntN(2)]
		cp, err := g.Chokepoints(seeds, mode, nil, 1000)
		if err != nil {
			t.Fatal(err)
		}
		base, _ := g.Reach(seeds, mode)
		fixed := fixedOf(g, seeds, mode)
		got := map[[2]string]bool{}
		for _, d := range cp.Dominators {
			for _, o := range d.Dominates {
				got[[2]string{d.ID, o}] = true
			}
		}
		want := map[[2]string]bool{}
		for _, x := range nodes {
			if fixed[g.index[x.ID]] || base.Of(x.ID) == nil {
				continue
			}
			im := affected(t, unaffectedNode(m, x.ID), seeds, mode)
			for _, o := range base.Affected {
				if o.ID != x.ID && o.Class == model.ClassOrganisation && im.Of(o.ID) == nil {
					want[[2]string{x.ID, o.ID}] = true
				}
			}
		}
		for p := range want {
			total++
			if !got[p] {
				missing++
				if first == "" {
					first = fmt.Sprintf("%s dominates %s, not reported (seed %v, %s)%s", p[0], p[1], seeds, mode, dump(m))
				}
			}
		}
		for p := range got {
			if !want[p] {
				wrong++
				if first == "" {
					first = fmt.Sprintf("%s reported to dominate %s, which it does not (seed %v, %s)%s", p[0], p[1], seeds, mode, dump(m))
				}
			}
		}
	}
	return missing, wrong, total, first
}

func TestDominatorsMatchBruteForce(t *testing.T) {
	missing, wrong, total, first := dominatorPairs(t, 2000, 11)
	t.Logf("dominators: %d of %d true pairs missing, %d false", missing, total, wrong)
	if total < 100 {
		t.Errorf("only %d pairs checked", total)
	}
	if missing > 0 || wrong > 0 {
		t.Errorf("%d of %d pairs missing, %d false; first: %s", missing, total, wrong, first)
	}
}

// TestDominatorThroughAnOutage is the example of a chain no effect can
// take: s → u is an outage, which cannot become a compromise, so every way
// a compromise reaches v passes d.
func TestDominatorThroughAnOutage(t *testing.T) {
	g := parse(t, `organisations:
  - {id: s, kind: supplier}
  - {id: d, kind: trust}
  - {id: u, kind: trust}
  - {id: v, kind: trust}
dependencies:
  - {from: d, to: s, type: access}
  - {from: u, to: d, type: access}
  - {from: u, to: s, type: service}
  - {from: v, to: u, type: access}
`)
	cp, err := g.Chokepoints([]string{"s"}, model.Ransomware, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	doms := map[string][]string{}
	for _, d := range cp.Dominators {
		doms[d.ID] = d.Dominates
	}
	if !slices.Equal(doms["d"], []string{"v"}) || !slices.Equal(doms["u"], []string{"v"}) || len(doms) != 2 {
		t.Errorf("dominators %v, want d and u, each over v", doms)
	}
}
