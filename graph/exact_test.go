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

// cutGap compares the cut chokepoints gives with the smallest set of up to
// three dependencies whose removal leaves the protected organisations
// unaffected, found by trying every such set, on random models. It returns
// in how many scenarios the cut was larger, or not a cut, and how many
// were compared.
func cutGap(t *testing.T, runs int, seed uint64) (worse, total int, first string) {
	r := rand.New(rand.NewPCG(seed, 13))
	for range runs {
		m := randomModel(r)
		if len(m.Dependencies) > 14 {
			continue
		}
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
		c := cp.Cut
		if len(c.Protect) == 0 || c.Unbreakable {
			continue
		}
		spares := func(rm []int) bool {
			var ch []model.Change
			for _, i := range rm {
				d := m.Dependencies[i]
				ch = append(ch, model.Change{Kind: model.RemoveDependency, From: d.From, To: d.To, Type: d.Type})
			}
			im := affected(t, m.Apply(ch), seeds, mode)
			for _, o := range c.Protect {
				if im.Of(o) != nil {
					return false
				}
			}
			return true
		}
		best := -1
		n := len(m.Dependencies)
		for size := 0; size <= 3 && best < 0; size++ {
			var try func(start int, rm []int)
			try = func(start int, rm []int) {
				if best >= 0 {
					return
				}
				if len(rm) == size {
					if spares(rm) {
						best = size
					}
					return
				}
				for i := start; i < n; i++ {
					try(i+1, append(rm, i))
				}
			}
			try(0, nil)
		}
		var rm []model.Change
		for _, e := range c.Dependencies {
			rm = append(rm, model.Change{Kind: model.RemoveDependency, From: e.From, To: e.To, Type: e.Type})
		}
		im := affected(t, m.Apply(rm), seeds, mode)
		valid := true
		for _, o := range c.Protect {
			valid = valid && im.Of(o) == nil
		}
		if best < 0 && valid && c.Size <= 3 {
			t.Fatalf("a cut of %d that no search of up to 3 finds%s", c.Size, dump(m))
		}
		if best < 0 {
			continue
		}
		total++
		if !valid || c.Size > best {
			worse++
			if first == "" {
				first = fmt.Sprintf("cut %v (a cut: %v), yet %d dependencies suffice (seed %v, %s, protect %v)%s", c.Dependencies, valid, best, seeds, mode, c.Protect, dump(m))
			}
		}
	}
	return worse, total, first
}

func TestCutMatchesBruteForce(t *testing.T) {
	worse, total, first := cutGap(t, 3000, 17)
	t.Logf("cut: larger than the smallest, or no cut, in %d of %d scenarios", worse, total)
	if total < 100 {
		t.Errorf("only %d scenarios compared", total)
	}
	if worse > 0 {
		t.Errorf("%d of %d cuts not the smallest; first: %s", worse, total, first)
	}
}

// TestCutExamples are the examples of cuts: a chain that no
// outage can turn into a compromise, and a hosting dependency that spares
// three trusts at once.
func TestCutExamples(t *testing.T) {
	for _, tc := range []struct {
		name, src, seed string
		protect         []string
		want            []string
	}{
		{"one dependency before the fork", `organisations:
  - {id: s, kind: supplier}
  - {id: d, kind: trust}
  - {id: u1, kind: trust}
  - {id: u2, kind: trust}
  - {id: v, kind: trust}
dependencies:
  - {from: d, to: s, type: access}
  - {from: u1, to: d, type: access}
  - {from: u2, to: d, type: access}
  - {from: u1, to: s, type: service}
  - {from: u2, to: s, type: service}
  - {from: v, to: u1, type: access}
  - {from: v, to: u2, type: access}
`, "s", []string{"v"}, []string{"d→s access"}},
		{"the hosting dependency", `organisations:
  - {id: cloud, kind: supplier}
  - {id: t1, kind: trust}
  - {id: t2, kind: trust}
  - {id: t3, kind: trust}
services:
  - {id: lims, kind: pathology}
dependencies:
  - {from: lims, to: cloud, type: hosting}
  - {from: t1, to: lims, type: service}
  - {from: t2, to: lims, type: service}
  - {from: t3, to: lims, type: service}
`, "cloud", nil, []string{"lims→cloud hosting"}},
	} {
		g := parse(t, tc.src)
		for _, mode := range []model.Mode{model.Ransomware} {
			cp, err := g.Chokepoints([]string{tc.seed}, mode, tc.protect, 10)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range cp.Cut.Dependencies {
				got = append(got, e.From+"→"+e.To+" "+string(e.Type))
			}
			if !slices.Equal(got, tc.want) || cp.Cut.Size != len(tc.want) || cp.Cut.Unbreakable {
				t.Errorf("%s: cut %v (size %d, unbreakable %v), want %v", tc.name, got, cp.Cut.Size, cp.Cut.Unbreakable, tc.want)
			}
		}
	}
}
