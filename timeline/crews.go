package timeline

import (
	"math"
	"slices"
)

// MaxExactOrders is the most compromised nodes whose every restore order
// Plan tries; beyond it Plan uses its heuristic. 7 nodes are 5,040 orders,
// each one timeline (see docs/performance.md).
const MaxExactOrders = 7

// Restore is when one compromised node's restoration starts and when it
// is back.
type Restore struct {
	ID     string `json:"id"`
	Start  int    `json:"start"`
	Finish int    `json:"finish"`
}

// Crews says how the restore order was found and what it saves.
type Crews struct {
	Crews int `json:"crews"`
	// Method is "exact" (every order tried), "heuristic" (greedy by loss
	// per day of restoration, then swaps of pairs while one helps), or
	// "all at once" (no more nodes to restore than crews).
	Method string `json:"method"`
	Orders int    `json:"orders"`
	// Objective is what an order loses: "activity" (every unit of every
	// organisation added up) or "people" (people-days: patients times
	// (1 − capacity), where no organisation gives activity).
	Objective string  `json:"objective"`
	Lost      float64 `json:"lost"`
	// Worst is the most an order loses: of every order when exact, else
	// of those tried.
	Worst          float64 `json:"worst"`
	IDOrder        float64 `json:"id_order"`
	SavesVsWorst   float64 `json:"saves_vs_worst"`
	SavesVsIDOrder float64 `json:"saves_vs_id_order"`
}

// planner evaluates restore orders on a collected engine.
type planner struct {
	e       *engine
	horizon int
	crews   int
	places  []int32   // the restorable compromised places, in id order
	weight  []float64 // by place: what a day at 0 costs
	tried   int
}

// objective sets up the weights: activity of every unit added, or
// patients where no organisation touched gives activity.
func (p *planner) objective() string {
	e := p.e
	p.weight = make([]float64, len(e.nodes))
	activity := false
	for i, v := range e.nodes {
		nd := e.g.Node(v)
		if !e.g.IsOrganisation(v) {
			continue
		}
		for _, a := range nd.Activity {
			p.weight[i] += a.PerDay
			activity = true
		}
	}
	if activity {
		return "activity"
	}
	for i, v := range e.nodes {
		if e.g.IsOrganisation(v) {
			p.weight[i] = float64(e.g.Node(v).Patients)
		}
	}
	return "people"
}

// Bounds on the heuristic's work, in timelines run: each node is held down
// alone to measure its cost when there are at most MaxHeldDown of them
// (else its cost is what its outage reaches, weighted), and at most
// MaxSwaps swaps of pairs are tried (of neighbours only, beyond
// MaxHeldDown nodes).
const (
	MaxHeldDown = 100
	MaxSwaps    = 500
)

// reachWeight is the weight of every place that place i's outage
// reaches, downstream over the links: a cheap stand-in for its cost.
func (p *planner) reachWeight(i int32) float64 {
	e := p.e
	seen := map[int32]bool{i: true}
	q := []int32{i}
	total := 0.0
	for k := 0; k < len(q); k++ {
		u := q[k]
		total += p.weight[u]
		for _, o := range e.outs[e.outOff[u]:e.outOff[u+1]] {
			if !seen[o.to] {
				seen[o.to] = true
				q = append(q, o.to)
			}
		}
	}
	return total
}

// restorable returns the places of the compromised nodes that a crew
// restores, in id order: those with a recovery that takes some days.
func (e *engine) restorable() []int32 {
	var out []int32
	for i, c := range e.comp {
		if c && e.curve[i].given && e.curve[i].length() > 0 {
			out = append(out, int32(i))
		}
	}
	slices.SortFunc(out, func(a, b int32) int { return int(e.nodes[a] - e.nodes[b]) })
	return out
}

// schedule gives each place of the order its start: the first crew free.
func (p *planner) schedule(order []int32) {
	free := make([]int, p.crews)
	for _, i := range order {
		k := 0
		for j := range free {
			if free[j] < free[k] {
				k = j
			}
		}
		c := &p.e.curve[i]
		c.start = free[k]
		free[k] += c.length()
	}
}

// loss runs the order and returns what it loses.
func (p *planner) loss(order []int32) float64 {
	p.tried++
	p.schedule(order)
	e := p.e
	e.run(p.horizon)
	total := 0.0
	for i, w := range p.weight {
		total += w * e.lost[i]
	}
	return total
}

// plan finds the order that loses least, leaves the engine run with it,
// and returns it with what it found.
func (p *planner) plan() ([]int32, *Crews) {
	cr := &Crews{Crews: p.crews, Objective: p.objective()}
	ids := slices.Clone(p.places)
	idLoss := p.loss(ids)
	cr.IDOrder = idLoss
	best, bestLoss, worst := slices.Clone(ids), idLoss, idLoss
	switch {
	case len(ids) <= p.crews:
		cr.Method = "all at once"
	case len(ids) <= MaxExactOrders:
		cr.Method = "exact"
		perm := slices.Clone(ids)
		permute(perm, 0, func() {
			l := p.loss(perm)
			if l < bestLoss-1e-9 {
				best, bestLoss = slices.Clone(perm), l
			}
			worst = math.Max(worst, l)
		})
	default:
		cr.Method = "heuristic"
		var l float64
		best, l, worst = p.heuristic(ids, idLoss)
		if l > idLoss {
			best = ids // never worse than id order
		}
	}
	cr.Orders = p.tried
	cr.Lost = p.loss(best)
	cr.Worst = math.Max(worst, cr.Lost)
	cr.SavesVsWorst = cr.Worst - cr.Lost
	cr.SavesVsIDOrder = cr.IDOrder - cr.Lost
	return best, cr
}

// permute calls visit with every order of a[k:], a[:k] fixed, in
// lexicographic order of the places when a starts sorted.
func permute(a []int32, k int, visit func()) {
	if k >= len(a)-1 {
		visit()
		return
	}
	for i := k; i < len(a); i++ {
		// Rotate a[i] into place k, keeping the rest in order.
		x := a[i]
		copy(a[k+1:i+1], a[k:i])
		a[k] = x
		permute(a, k+1, visit)
		copy(a[k:i], a[k+1:i+1])
		a[i] = x
	}
}

// heuristic orders by what a node's outage costs per day of its
// restoration, most first (Smith's rule), then swaps pairs while a swap
// lowers the loss.
func (p *planner) heuristic(ids []int32, idLoss float64) ([]int32, float64, float64) {
	e := p.e
	worst := idLoss
	// The cost of each node held down while every other is back at once.
	rate := map[int32]float64{}
	base := func(hold int32) float64 {
		for _, j := range ids {
			e.curve[j].start = 0
		}
		if hold >= 0 {
			e.curve[hold].start = MaxHorizon + 1
		}
		p.tried++
		e.run(p.horizon)
		total := 0.0
		for i, w := range p.weight {
			total += w * e.lost[i]
		}
		return total
	}
	if len(ids) <= MaxHeldDown {
		floor := base(-1)
		for _, i := range ids {
			rate[i] = (base(i) - floor) / float64(max(1, e.curve[i].length()))
		}
	} else {
		// Too many to hold each down: what its outage reaches, weighted.
		for _, i := range ids {
			rate[i] = p.reachWeight(i) / float64(max(1, e.curve[i].length()))
		}
	}
	order := slices.Clone(ids)
	slices.SortStableFunc(order, func(a, b int32) int {
		switch {
		case rate[a] > rate[b]:
			return -1
		case rate[a] < rate[b]:
			return 1
		}
		return 0
	})
	best := p.loss(order)
	worst = math.Max(worst, best)
	budget := p.tried + MaxSwaps
	for pass := 0; pass < 5 && p.tried < budget; pass++ {
		better := false
		for a := 0; a < len(order) && p.tried < budget; a++ {
			// Every pair when few; neighbours only when many, so that the
			// budget is spread over the whole order.
			last := len(order)
			if len(order) > MaxHeldDown {
				last = min(a+2, len(order))
			}
			for b := a + 1; b < last && p.tried < budget; b++ {
				order[a], order[b] = order[b], order[a]
				l := p.loss(order)
				worst = math.Max(worst, l)
				if l < best-1e-9 {
					best, better = l, true
				} else {
					order[a], order[b] = order[b], order[a]
				}
			}
		}
		if !better {
			break
		}
	}
	rev := slices.Clone(order)
	slices.Reverse(rev)
	worst = math.Max(worst, p.loss(rev))
	return order, best, worst
}
