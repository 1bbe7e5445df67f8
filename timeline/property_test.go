package timeline

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// randomModel makes a small model with every relation, controls,
// operators, alternatives and cycles; with time, it gives recoveries,
// shares and buffers at random.
func randomModel(r *rand.Rand, time bool) *model.Model {
	m := &model.Model{Name: "random"}
	n := 2 + r.IntN(10)
	var ids []string
	for i := range n {
		id := fmt.Sprintf("n%02d", i)
		ids = append(ids, id)
		nd := &model.Node{ID: id, Name: id, Patients: int64(r.IntN(1000))}
		if r.IntN(4) == 0 {
			nd.Controls = append(nd.Controls, model.MFA)
		}
		if r.IntN(4) == 0 {
			nd.Controls = append(nd.Controls, model.Segmentation)
		}
		if time {
			switch r.IntN(4) {
			case 0, 1:
				l := float64(r.IntN(12))
				nd.Recovery = &model.Recovery{Min: l / 2, Likely: l, Max: l * 2}
			case 2:
				nd.Restore = []model.RestorePoint{{Day: 0, Capacity: r.Float64() / 2}, {Day: 1 + r.IntN(10), Capacity: 1}}
			}
		}
		if i > 0 && r.IntN(3) == 0 {
			nd.Class, nd.Kind = model.ClassService, "epr"
			m.Services = append(m.Services, nd)
		} else {
			nd.Class, nd.Kind = model.ClassOrganisation, "trust"
			if time && r.IntN(2) == 0 {
				nd.Activity = []model.Activity{{Unit: "appointments", PerDay: float64(1 + r.IntN(100))}}
			}
			m.Organisations = append(m.Organisations, nd)
		}
	}
	for _, s := range m.Services {
		if r.IntN(2) == 0 {
			s.Operator = m.Organisations[r.IntN(len(m.Organisations))].ID
		}
	}
	for range r.IntN(3 * n) {
		from, to := ids[r.IntN(n)], ids[r.IntN(n)]
		if from == to {
			continue
		}
		d := &model.Dependency{From: from, To: to, Type: model.Relations[r.IntN(len(model.Relations))], Critical: r.IntN(3) > 0, Likelihood: 1}
		if d.Type == model.Service && r.IntN(3) == 0 {
			for _, a := range ids {
				if a != from && a != to && r.IntN(3) == 0 {
					d.Alternatives = append(d.Alternatives, a)
				}
			}
		}
		if time {
			if r.IntN(2) == 0 {
				d.Share = ptr(0.05 + 0.95*r.Float64())
			}
			if r.IntN(3) == 0 {
				d.Buffer = r.IntN(4)
			}
			if r.IntN(3) == 0 {
				d.Likelihood = r.Float64()
			}
		}
		m.Dependencies = append(m.Dependencies, d)
	}
	return m
}

func seedsOf(r *rand.Rand, m *model.Model) []string {
	nodes := m.Nodes()
	out := []string{nodes[r.IntN(len(nodes))].ID}
	if r.IntN(3) == 0 {
		out = append(out, nodes[r.IntN(len(nodes))].ID)
	}
	return out
}

// TestDayZeroIsTheWorstCase: with every default, the nodes at 0 on day 0
// are exactly those the worst case puts down, its degraded nodes are below
// 1, and nothing is short in exfiltration.
func TestDayZeroIsTheWorstCase(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	runs := 3000
	if testing.Short() {
		runs = 500
	}
	for i := range runs {
		m := randomModel(r, false)
		g, err := graph.Build(m)
		if err != nil {
			t.Fatal(err)
		}
		seeds := seedsOf(r, m)
		im, err := g.Reach(seeds, model.Ransomware)
		if err != nil {
			t.Fatal(err)
		}
		tl, err := Compute(g, seeds, Options{Horizon: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range m.Nodes() {
			var c0 = 1.0
			if tn := tl.Of(n.ID); tn != nil {
				c0 = tn.Capacity[0]
			}
			a := im.Of(n.ID)
			down := a != nil && (a.Impact == graph.Compromised || a.Impact == graph.Disrupted)
			degraded := a != nil && slices.Contains(a.Effects, graph.Degraded)
			if (c0 == 0) != down {
				t.Fatalf("run %d, seeds %v: %s at %v on day 0, down in the worst case: %v", i, seeds, n.ID, c0, down)
			}
			if degraded && c0 >= 1 {
				t.Fatalf("run %d: %s degraded in the worst case but at 1 on day 0", i, n.ID)
			}
		}
		ex, err := Compute(g, seeds, Options{Mode: model.Exfiltration})
		if err != nil {
			t.Fatal(err)
		}
		if len(ex.Nodes) != 0 {
			t.Fatalf("run %d: %d nodes short in exfiltration", i, len(ex.Nodes))
		}
	}
}

// TestMonotone: lowering a share or a recovery never lowers a capacity,
// on any day.
func TestMonotone(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	runs := 2000
	if testing.Short() {
		runs = 400
	}
	const horizon = 30
	for i := range runs {
		m := randomModel(r, true)
		seeds := seedsOf(r, m)
		before := capacityTable(t, m, seeds, horizon)
		what := ""
		if r.IntN(2) == 0 && len(m.Dependencies) > 0 {
			d := m.Dependencies[r.IntN(len(m.Dependencies))]
			s := d.ShareOrDefault()
			d.Share = ptr(s * r.Float64())
			what = fmt.Sprintf("share %s→%s %v→%v", d.From, d.To, s, *d.Share)
		} else {
			nd := m.Nodes()[r.IntN(len(m.Nodes()))]
			if nd.Recovery == nil {
				continue
			}
			l := nd.Recovery.Likely
			nd.Recovery = &model.Recovery{Min: 0, Likely: math.Floor(l * r.Float64()), Max: l}
			what = fmt.Sprintf("recovery of %s %v→%v", nd.ID, l, nd.Recovery.Likely)
		}
		after := capacityTable(t, m, seeds, horizon)
		for id, cs := range after {
			for d, c := range cs {
				if c < before[id][d]-1e-12 {
					t.Fatalf("run %d, seeds %v: lowering %s lowers %s on day %d from %v to %v", i, seeds, what, id, d, before[id][d], c)
				}
			}
		}
	}
}

func capacityTable(t *testing.T, m *model.Model, seeds []string, horizon int) map[string][]float64 {
	t.Helper()
	g, err := graph.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	tl, err := Compute(g, seeds, Options{Horizon: horizon})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]float64{}
	for _, n := range m.Nodes() {
		out[n.ID] = capacities(tl, n.ID)
	}
	return out
}

// TestRunsAreIndependent: an engine that has run other timelines gives
// the same answer as a new one (its stamped arrays leave nothing behind).
func TestRunsAreIndependent(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 200 {
		m := randomModel(r, true)
		g, err := graph.Build(m)
		if err != nil {
			t.Fatal(err)
		}
		e := newEngine(g)
		for range 3 {
			seeds := seedsOf(r, m)
			idx, _ := g.Resolve(seeds)
			e.collect(idx, model.Ransomware, nil, 0)
			e.keep = true
			e.run(0)
			fresh := newEngine(g)
			fresh.collect(idx, model.Ransomware, nil, 0)
			fresh.keep = true
			fresh.run(0)
			if e.days != fresh.days || !slices.Equal(e.hist, fresh.hist) {
				t.Fatalf("seeds %v: a reused engine differs", seeds)
			}
		}
	}
}
