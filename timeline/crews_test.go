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

// bruteForce tries every order of the restorable compromised nodes
// without the planner: it schedules each order on k crews itself, writes
// each node's finish as its recovery, and runs a plain timeline. It
// returns the least and the most lost.
func bruteForce(t *testing.T, m *model.Model, seeds []string, k, horizon int) (best, worst float64, n int) {
	t.Helper()
	g, err := graph.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Compute(g, seeds, Options{Horizon: 1})
	if err != nil {
		t.Fatal(err)
	}
	var restorable []*model.Node
	for _, nd := range g.Nodes() {
		tn := plain.Of(nd.ID)
		if tn != nil && slices.Contains(tn.Effects, graph.Compromised) && nd.Recovery != nil && nd.Recovery.Likely > 0 {
			restorable = append(restorable, nd)
		}
	}
	if len(restorable) > 6 {
		return 0, 0, 0 // too many to try every order here
	}
	saved := map[*model.Node]*model.Recovery{}
	for _, nd := range restorable {
		saved[nd] = nd.Recovery
	}
	defer func() {
		for nd, r := range saved {
			nd.Recovery = r
		}
	}()
	// Activity if an organisation downstream of the compromise gives any.
	activity := false
	e := newEngine(g)
	seedIdx, _ := g.Resolve(seeds)
	e.collect(seedIdx, model.Ransomware, nil, 0)
	for _, v := range e.nodes {
		activity = activity || g.IsOrganisation(v) && len(g.Node(v).Activity) > 0
	}
	best, worst = math.Inf(1), math.Inf(-1)
	idx := make([]int, len(restorable))
	for i := range idx {
		idx[i] = i
	}
	var visit func(int)
	visit = func(p int) {
		if p == len(idx) {
			free := make([]int, k)
			for _, i := range idx {
				c := 0
				for j := range free {
					if free[j] < free[c] {
						c = j
					}
				}
				nd := restorable[i]
				l := int(math.Ceil(saved[nd].Likely))
				nd.Recovery = &model.Recovery{Likely: float64(free[c] + l)}
				free[c] += l
			}
			g, _ := graph.Build(m)
			tl, err := Compute(g, seeds, Options{Horizon: horizon})
			if err != nil {
				t.Fatal(err)
			}
			lost := 0.0
			for _, tn := range tl.Nodes {
				if tn.Class != model.ClassOrganisation {
					continue
				}
				if activity {
					for _, x := range tn.ActivityLost {
						lost += x
					}
				} else {
					lost += tn.ServiceDaysLost * float64(tn.patients)
				}
			}
			best, worst = math.Min(best, lost), math.Max(worst, lost)
			n++
			return
		}
		for i := p; i < len(idx); i++ {
			idx[p], idx[i] = idx[i], idx[p]
			visit(p + 1)
			idx[p], idx[i] = idx[i], idx[p]
		}
	}
	visit(0)
	return best, worst, n
}

// TestCrewsAgainstBruteForce: on small models, the exact plan loses what
// the best order loses and finds the worst; the heuristic is never better
// than the best and its schedule is one of k crews.
func TestCrewsAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	runs, checked := 300, 0
	if testing.Short() {
		runs = 80
	}
	for i := range runs {
		m := randomModel(r, true)
		for _, n := range m.Nodes() {
			n.Restore = nil
			if n.Recovery == nil && r.IntN(2) == 0 {
				n.Recovery = &model.Recovery{Likely: float64(1 + r.IntN(9))}
			}
		}
		var seeds []string
		for _, n := range m.Nodes() {
			if r.IntN(3) == 0 {
				seeds = append(seeds, n.ID)
			}
		}
		if len(seeds) == 0 {
			continue
		}
		k := 1 + r.IntN(2)
		const horizon = 60
		best, worst, orders := bruteForce(t, m, seeds, k, horizon)
		if orders < 2 {
			continue
		}
		g, err := graph.Build(m)
		if err != nil {
			t.Fatal(err)
		}
		tl, err := Compute(g, seeds, Options{Horizon: horizon, Crews: k})
		if err != nil {
			t.Fatal(err)
		}
		cr := tl.Crews
		if cr.Method == "all at once" {
			continue
		}
		checked++
		if math.Abs(cr.Lost-best) > 1e-6*math.Max(1, best) {
			t.Fatalf("run %d, %d crews, %d orders: plan loses %v, the best order %v", i, k, orders, cr.Lost, best)
		}
		if math.Abs(cr.Worst-worst) > 1e-6*math.Max(1, worst) {
			t.Fatalf("run %d: worst %v, brute force %v", i, cr.Worst, worst)
		}
		if cr.SavesVsIDOrder < -1e-9 || math.Abs(cr.SavesVsWorst-(worst-best)) > 1e-6*math.Max(1, worst) {
			t.Fatalf("run %d: saves %v against id order, %v against worst", i, cr.SavesVsIDOrder, cr.SavesVsWorst)
		}
		// The heuristic on the same engine: never better than the best.
		e := newEngine(g)
		idx, _ := g.Resolve(seeds)
		e.collect(idx, model.Ransomware, nil, 0)
		p := &planner{e: e, horizon: horizon, crews: k, places: e.restorable()}
		p.objective()
		order, l, _ := p.heuristic(slices.Clone(p.places), p.loss(p.places))
		if l < best-1e-6*math.Max(1, best) || len(order) != len(p.places) {
			t.Fatalf("run %d: the heuristic loses %v, below the best %v", i, l, best)
		}
		checkSchedule(t, tl, k)
	}
	if checked < 10 {
		t.Fatalf("only %d models had an order to choose", checked)
	}
}

// checkSchedule: never more than k nodes under restoration at once, each
// for its recovery's days.
func checkSchedule(t *testing.T, tl *Timeline, k int) {
	t.Helper()
	for d := 0; d < MaxHorizon; d++ {
		busy := 0
		for _, r := range tl.RestoreOrder {
			if r.Start <= d && d < r.Finish {
				busy++
			}
		}
		if busy > k {
			t.Fatalf("day %d: %d nodes under restoration, %d crews", d, busy, k)
		}
	}
}

func TestCrewsWorkedExample(t *testing.T) {
	// A big trust's lab (3 days) and a small one's (1 day), one crew: the
	// small one first loses 1×10 + 4×100 = 410; the big one first loses
	// 3×100 + 4×10 = 340, the least.
	b := newModel()
	b.org("big-lab").Recovery = days(3)
	b.org("small-lab").Recovery = days(1)
	big := b.org("big")
	big.Activity = []model.Activity{{Unit: "tests", PerDay: 100}}
	small := b.org("small")
	small.Activity = []model.Activity{{Unit: "tests", PerDay: 10}}
	b.dep("big", "big-lab", model.Service)
	b.dep("small", "small-lab", model.Service)
	tl := b.run(t, []string{"big-lab", "small-lab"}, Options{Crews: 1})
	cr := tl.Crews
	if cr.Method != "exact" || cr.Objective != "activity" || cr.Lost != 340 || cr.Worst != 410 || cr.IDOrder != 340 || cr.SavesVsWorst != 70 {
		t.Errorf("crews %+v", cr)
	}
	want := []Restore{{"big-lab", 0, 3}, {"small-lab", 3, 4}}
	if !slices.Equal(tl.RestoreOrder, want) {
		t.Errorf("order %v, want %v", tl.RestoreOrder, want)
	}
	if got := tl.Of("small").Capacity; !near(got, []float64{0, 0, 0, 0, 1}) {
		t.Errorf("small: %v", got)
	}
}

// TestCrewsHeuristic: beyond MaxExactOrders nodes, and beyond MaxHeldDown,
// the heuristic's order is a schedule of k crews, never worse than id
// order, and better than the worst it saw.
func TestCrewsHeuristic(t *testing.T) {
	for _, n := range []int{12, MaxHeldDown + 20} {
		b := newModel()
		var seeds []string
		for i := range n {
			lab := b.org(fmt.Sprintf("lab-%03d", i))
			lab.Recovery = days(float64(1 + (i*7)%13))
			seeds = append(seeds, lab.ID)
			tr := b.org(fmt.Sprintf("trust-%03d", i))
			tr.Activity = []model.Activity{{Unit: "tests", PerDay: float64(10 + (i*37)%90)}}
			b.dep(tr.ID, lab.ID, model.Service)
		}
		tl := b.run(t, seeds, Options{Crews: 3})
		cr := tl.Crews
		if cr.Method != "heuristic" || len(tl.RestoreOrder) != n {
			t.Fatalf("%d labs: method %s, %d restored", n, cr.Method, len(tl.RestoreOrder))
		}
		if cr.Lost > cr.IDOrder || cr.Lost >= cr.Worst {
			t.Errorf("%d labs: loses %v, id order %v, worst %v", n, cr.Lost, cr.IDOrder, cr.Worst)
		}
		checkSchedule(t, tl, 3)
	}
}
