package graph

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blastradius/blastradius/internal/synth"
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

// networkTotal is the whole network's total radius, from a ranking.
func networkTotal(t *testing.T, m *model.Model, mode model.Mode) Summary {
	t.Helper()
	g, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	rk, err := g.Rank(mode, RankOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var s Summary
	for _, e := range rk.Ranking {
		s.Organisations += e.Organisations
		s.Patients += e.Patients
		s.Disrupted += e.Disrupted
	}
	return s
}

// bestByHand tries every single change on the model: mfa and segmentation
// on every node, an alternative for every critical service dependency
// without one; it returns the best's organisations spared, then
// disruptions avoided, then patients spared.
func bestByHand(t *testing.T, m *model.Model, mode model.Mode) [3]int64 {
	base := networkTotal(t, m, mode)
	var best [3]int64
	try := func(gn Gain) {
		after := networkTotal(t, applyGain(m, gn), mode)
		x := [3]int64{int64(base.Organisations - after.Organisations), int64(base.Disrupted - after.Disrupted), base.Patients - after.Patients}
		if slices.Compare(x[:], best[:]) > 0 {
			best = x
		}
	}
	for _, n := range m.Nodes() {
		for _, c := range []string{model.MFA, model.Segmentation} {
			try(Gain{Control: c, ID: n.ID})
		}
	}
	if mode == model.Ransomware {
		for _, d := range m.Dependencies {
			if d.Type == model.Service && d.Critical {
				try(Gain{Control: "alternative", ID: d.From, To: d.To})
			}
		}
	}
	return best
}

// networkBest compares the best whole-network change with every change
// tried by hand, on random models: how many of them miss the best.
func networkBest(t *testing.T, runs int, seed uint64, gen func(*rand.Rand) *model.Model) (missed, total int, first string) {
	r := rand.New(rand.NewPCG(seed, 3))
	for range runs {
		m := gen(r)
		mode := model.Modes[r.IntN(2)]
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		gains, err := g.NetworkGains(mode, 10, 0, RankOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := bestByHand(t, m, mode)
		var got [3]int64
		if len(gains) > 0 {
			got = [3]int64{int64(gains[0].Organisations), int64(gains[0].Disruptions), gains[0].Patients}
		}
		total++
		if got != want {
			missed++
			if first == "" {
				first = fmt.Sprintf("%s: best %v, by hand %v%s", mode, got, want, dump(m))
			}
		}
	}
	return missed, total, first
}

// mediumModel is four random models side by side, joined by a few links
// and a hub: 20 to 45 nodes, more candidates than a short list holds.
func mediumModel(r *rand.Rand) *model.Model {
	for {
		out := &model.Model{Name: "medium"}
		add := func(src *model.Model, p string) {
			id := func(s string) string { return p + s }
			for _, n := range src.Organisations {
				c := *n
				c.ID, c.Name = id(n.ID), id(n.ID)
				if c.ICB != "" {
					c.ICB = id(c.ICB)
				}
				out.Organisations = append(out.Organisations, &c)
			}
			for _, n := range src.Services {
				c := *n
				c.ID, c.Name = id(n.ID), id(n.ID)
				if c.Operator != "" {
					c.Operator = id(c.Operator)
				}
				out.Services = append(out.Services, &c)
			}
			for _, d := range src.Dependencies {
				c := *d
				c.From, c.To = id(d.From), id(d.To)
				c.Alternatives = nil
				for _, a := range d.Alternatives {
					c.Alternatives = append(c.Alternatives, id(a))
				}
				out.Dependencies = append(out.Dependencies, &c)
			}
		}
		for _, p := range []string{"a", "b", "c", "d"} {
			add(randomModel(r), p)
		}
		nodes := out.Nodes()
		if len(nodes) < 20 {
			continue
		}
		hub := nodes[r.IntN(len(nodes))].ID
		for range 6 {
			a := nodes[r.IntN(len(nodes))].ID
			if a != hub {
				out.Dependencies = append(out.Dependencies, &model.Dependency{From: a, To: hub, Type: model.Relations[r.IntN(len(model.Relations))], Critical: true, Likelihood: 1})
			}
		}
		return out
	}
}

func TestNetworkGainsFindTheBest(t *testing.T) {
	for _, tc := range []struct {
		name string
		gen  func(*rand.Rand) *model.Model
		runs int
	}{{"small", randomModel, 300}, {"medium", mediumModel, 40}} {
		missed, total, first := networkBest(t, tc.runs, 5, tc.gen)
		t.Logf("%s: the best single change missed in %d of %d models", tc.name, missed, total)
		if missed > 0 {
			t.Errorf("%s: %d of %d missed; first: %s", tc.name, missed, total, first)
		}
	}
}

// TestNetworkGainsIgnoreIds renames every node at random: the best change
// spares as much, and is the same change under its new name.
func TestNetworkGainsIgnoreIds(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	for range 100 {
		m := mediumModel(r)
		mode := model.Modes[r.IntN(2)]
		perm := r.Perm(len(m.Nodes()))
		names := map[string]string{}
		for i, n := range m.Nodes() {
			names[n.ID] = fmt.Sprintf("x%03d", perm[i])
		}
		rm := renamed(m, names)
		best := func(m *model.Model) []Gain {
			g, _ := Build(m)
			gs, err := g.NetworkGains(mode, 1000, 0, RankOptions{})
			if err != nil {
				t.Fatal(err)
			}
			return gs
		}
		a, b := best(m), best(rm)
		if len(a) != len(b) {
			t.Fatalf("%d changes, renamed %d%s", len(a), len(b), dump(m))
		}
		if len(a) == 0 {
			continue
		}
		if a[0].spared != b[0].spared {
			t.Fatalf("best spares %+v, renamed %+v%s", a[0].spared, b[0].spared, dump(m))
		}
		// The same change, unless another spares exactly as much.
		ties := 0
		for _, x := range a {
			if x.spared == a[0].spared {
				ties++
			}
		}
		if ties == 1 && (names[a[0].ID] != b[0].ID || a[0].Control != b[0].Control) {
			t.Fatalf("best %s, renamed %s%s", a[0].Change, b[0].Change, dump(m))
		}
	}
}

// renamed is m with every id replaced by names.
func renamed(m *model.Model, names map[string]string) *model.Model {
	out := *m
	out.Organisations, out.Services, out.Dependencies = nil, nil, nil
	for _, n := range m.Organisations {
		c := *n
		c.ID, c.Name = names[n.ID], names[n.ID]
		if c.ICB != "" {
			c.ICB = names[c.ICB]
		}
		out.Organisations = append(out.Organisations, &c)
	}
	for _, n := range m.Services {
		c := *n
		c.ID, c.Name = names[n.ID], names[n.ID]
		if c.Operator != "" {
			c.Operator = names[c.Operator]
		}
		out.Services = append(out.Services, &c)
	}
	for _, d := range m.Dependencies {
		c := *d
		c.From, c.To = names[d.From], names[d.To]
		c.Alternatives = nil
		for _, a := range d.Alternatives {
			c.Alternatives = append(c.Alternatives, names[a])
		}
		out.Dependencies = append(out.Dependencies, &c)
	}
	return &out
}

// TestNetworkGainsHub is twelve trusts on one network service: the best
// change is segmentation on the hub, whatever it is called.
func TestNetworkGainsHub(t *testing.T) {
	for _, hub := range []string{"zhub", "hscn"} {
		src := "organisations:\n"
		for i := 1; i <= 12; i++ {
			src += fmt.Sprintf("  - {id: t%02d, kind: trust}\n", i)
		}
		src += "services:\n  - {id: " + hub + ", kind: network}\ndependencies:\n"
		for i := 1; i <= 12; i++ {
			src += fmt.Sprintf("  - {from: t%02d, to: %s, type: network}\n", i, hub)
		}
		g := parse(t, src)
		gains, err := g.NetworkGains(model.Ransomware, 3, 0, RankOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(gains) == 0 || gains[0].Change != "segmentation on "+hub || gains[0].Organisations != 132 {
			t.Errorf("%s: best %+v, want segmentation on %s sparing 132", hub, gains, hub)
		}
	}
}

// expectedTotal is the objective of recommend: the expected organisations
// affected a year, summed over every node as the place an attack starts.
func expectedTotal(t *testing.T, m *model.Model, mode model.Mode) float64 {
	t.Helper()
	g, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	rk, err := g.RankRisk(mode, nil, RiskOptions{Samples: 10})
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for _, e := range rk.Ranking {
		total += e.ExpectedOf(MeasureOrganisations).Mean
	}
	return total
}

// recommendGap compares recommend's first step with every single change
// made in the model by hand, on random models whose dependencies all hold:
// how many first steps fall short of the best.
func recommendGap(t *testing.T, runs int, seed uint64) (short, total int, first string) {
	r := rand.New(rand.NewPCG(seed, 1))
	for range runs {
		m := randomModel(r)
		mode := model.Modes[r.IntN(2)]
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := g.Recommend(mode, RecommendOptions{Budget: 1, Samples: 10})
		if err != nil {
			t.Fatal(err)
		}
		base := expectedTotal(t, m, mode)
		best, bestName := 0.0, ""
		try := func(name string, mm *model.Model) {
			if x := base - expectedTotal(t, mm, mode); x > best+1e-9 {
				best, bestName = x, name
			}
		}
		for _, n := range m.Nodes() {
			for _, c := range recommendControls() {
				if !n.Has(c) {
					try(c+" on "+n.ID, m.Apply([]model.Change{{Kind: model.AddControl, ID: n.ID, Control: c}}))
				}
			}
		}
		for i, d := range m.Dependencies {
			out := *m
			out.Dependencies = slices.Delete(slices.Clone(m.Dependencies), i, i+1)
			try("remove "+d.From+"→"+d.To+" "+string(d.Type), &out)
			if d.Type == model.Service && d.Critical {
				try("alternative for "+d.From+"→"+d.To, applyGain(m, Gain{Control: "alternative", ID: d.From, To: d.To}))
			}
		}
		got := 0.0
		if len(rec.Steps) > 0 {
			got = rec.Steps[0].Reduction
		}
		total++
		if got < best-1e-9 {
			short++
			if first == "" {
				first = fmt.Sprintf("%s: first step cuts %.4f, %s cuts %.4f%s", mode, got, bestName, best, dump(m))
			}
		}
	}
	return short, total, first
}

func TestRecommendFirstStepIsTheBest(t *testing.T) {
	short, total, first := recommendGap(t, 400, 21)
	t.Logf("recommend: the first step short of the best in %d of %d models", short, total)
	if short > 0 {
		t.Errorf("%d of %d first steps short of the best; first: %s", short, total, first)
	}
}

// TestRecommendCountsTheEntryARemovalLowers: a supplier with access into
// one trust is likelier to be where an attack starts; removing the access
// takes that away as well as the trust from its radius, which rank --risk
// counts and recommend must too.
func TestRecommendCountsTheEntryARemovalLowers(t *testing.T) {
	src := `organisations:
  - {id: a, kind: supplier}
  - {id: b, kind: trust}
dependencies:
  - {from: b, to: a, type: access}
`
	g := parse(t, src)
	rec, err := g.Recommend(model.Ransomware, RecommendOptions{Budget: 1, Samples: 10})
	if err != nil {
		t.Fatal(err)
	}
	m := g.model
	out := *m
	out.Dependencies = nil
	want := expectedTotal(t, m, model.Ransomware) - expectedTotal(t, &out, model.Ransomware)
	if len(rec.Steps) != 1 || rec.Steps[0].Kind != model.RemoveDependency || math.Abs(rec.Steps[0].Reduction-want) > 1e-9 {
		t.Errorf("steps %+v, want the removal of b's access to a, cutting %.3f", rec.Steps, want)
	}
}

// TestAlternativeBesideAlternativesAllDown: c's dependency on s has an
// alternative, b, which the seed takes down too; one more that stays up
// spares x and avoids two disruptions.
func TestAlternativeBesideAlternativesAllDown(t *testing.T) {
	g := parse(t, `organisations:
  - {id: s, kind: supplier}
  - {id: b, kind: trust}
  - {id: c, kind: trust}
  - {id: x, kind: trust}
dependencies:
  - {from: c, to: s, type: service, alternatives: [b]}
  - {from: b, to: s, type: service}
  - {from: x, to: c, type: service}
`)
	cp, err := g.Chokepoints([]string{"s"}, model.Ransomware, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, gn := range cp.Changes {
		if gn.Control == "alternative" && gn.ID == "c" && gn.To == "s" {
			if gn.Organisations != 1 || gn.Disruptions != 2 {
				t.Errorf("%s: spares %d, avoids %d; want 1 and 2", gn.Change, gn.Organisations, gn.Disruptions)
			}
			return
		}
	}
	t.Errorf("no alternative for c's dependency on s among %+v", cp.Changes)
}

// scenarioBestGap compares chokepoints' best single change in a scenario
// with every change made in the model by hand: how many scenarios it
// misses the best in.
func scenarioBestGap(t *testing.T, runs int, seed uint64) (missed, total int, first string) {
	r := rand.New(rand.NewPCG(seed, 2))
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
		base := affected(t, m, seeds, mode).Summary
		var want [3]int64
		try := func(gn Gain) {
			s := affected(t, applyGain(m, gn), seeds, mode).Summary
			x := [3]int64{int64(base.Organisations - s.Organisations), int64(base.Disrupted - s.Disrupted), base.Patients - s.Patients}
			if slices.Compare(x[:], want[:]) > 0 {
				want = x
			}
		}
		for _, n := range nodes {
			for _, c := range []string{model.MFA, model.Segmentation} {
				try(Gain{Control: c, ID: n.ID})
			}
		}
		if mode == model.Ransomware {
			for _, d := range m.Dependencies {
				if d.Type == model.Service && d.Critical {
					try(Gain{Control: "alternative", ID: d.From, To: d.To})
				}
			}
		}
		var got [3]int64
		if len(cp.Changes) > 0 {
			c := cp.Changes[0]
			got = [3]int64{int64(c.Organisations), int64(c.Disruptions), c.Patients}
		}
		total++
		if got != want {
			missed++
			if first == "" {
				first = fmt.Sprintf("seed %v, %s: best %v, by hand %v%s", seeds, mode, got, want, dump(m))
			}
		}
	}
	return missed, total, first
}

func TestScenarioChangesFindTheBest(t *testing.T) {
	missed, total, first := scenarioBestGap(t, 1500, 4)
	t.Logf("chokepoints: the best single change missed in %d of %d scenarios", missed, total)
	if missed > 0 {
		t.Errorf("%d of %d missed; first: %s", missed, total, first)
	}
}

// TestNetworkGainsPruningKeepsTheTop: the best few changes, found with
// candidates ruled out by their bounds (before a run, and part way through
// their scenarios), are the first few of the list made by trying every
// candidate (a top so long that nothing is ruled out), change for change.
func TestNetworkGainsPruningKeepsTheTop(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 13))
	pruned := 0
	// Random models of 20 to 45 nodes, then generated ICBs, where a change
	// alters hundreds of scenarios and is ruled out part way through them.
	var models []*model.Model
	for range 150 {
		models = append(models, mediumModel(r))
	}
	for seed := range uint64(2) {
		var buf bytes.Buffer
		if _, err := synth.Generate(&buf, synth.Options{Scale: 1, Seed: seed + 1, ICBs: 1}); err != nil {
			t.Fatal(err)
		}
		m, err := model.Parse("icb.yaml", buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, m)
	}
	for _, m := range models {
		mode := model.Modes[r.IntN(2)]
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		top := 1 + r.IntN(4)
		got, cov, err := g.NetworkGainsCovered(mode, top, 0, RankOptions{})
		if err != nil {
			t.Fatal(err)
		}
		all, _, err := g.NetworkGainsCovered(mode, 1_000_000, 0, RankOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := all[:min(top, len(all))]
		if len(got) != len(want) {
			t.Fatalf("%d changes, trying all %d%s", len(got), len(want), dump(m))
		}
		for i := range got {
			if got[i].Change != want[i].Change || got[i].spared != want[i].spared {
				t.Fatalf("change %d: %s %+v, trying all %s %+v%s", i, got[i].Change, got[i].spared, want[i].Change, want[i].spared, dump(m))
			}
		}
		pruned += cov.RuledOut
	}
	if pruned == 0 {
		t.Error("no candidate was ruled out: the test shows nothing")
	}
	t.Logf("%d candidates ruled out", pruned)
}
