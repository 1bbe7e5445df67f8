package graph

import (
	"slices"

	"github.com/blastradius/blastradius/model"
)

// Counting people.
//
// The figure an organisation carries (patients in the model file) means
// different things for different kinds, and adding them up counts people
// several times: a resident of Southwark is on a Southwark GP practice's list,
// in Guy's and St Thomas' catchment and in South East London ICB's
// population. People counts each person at most once:
//
//   - GP practices' registered lists partition the population (a person is
//     registered with one practice), so the lists of affected practices add up;
//   - the figure of any other organisation (a trust, a community or
//     mental-health provider, a supplier) is an overlapping catchment: the
//     union of several of them is at least the largest, and no more is known;
//   - an ICB's figure is its population: it bounds what its members add up to,
//     and is never itself added (an affected ICB is a commissioner whose own
//     outage does not, by itself, reach every resident);
//   - each person belongs to one ICB, so the figures of different ICBs add up.
//
// Within each ICB, people is the larger of the affected GP practices' lists
// and the largest figure among its other affected organisations, capped by
// the ICB's population where the model gives it; organisations with no ICB
// form one group of their own, without a cap. The result is a floor: at least
// this many distinct people are served by an affected organisation. The sum of
// every affected organisation's own figure stays available as patients, an
// activity measure that overlaps and is never shown as people.

// population is what counting people needs of each node, by index.
type population struct {
	group   []int32 // the node's ICB group, -1 for services
	gp      []bool  // a GP practice: its figure is a registered list
	icbNode []bool  // an ICB: its figure is the group's cap, not a member's
	figure  []int64
	known   []bool  // the node's figure is given (0 included) or not needed
	cap     []int64 // by group: the ICB's population, or 0 if not given
	icb     []int32 // by group: the ICB's node index, or -1 for "no ICB"
}

func newPopulation(nodes []*model.Node, index map[string]int32) *population {
	n := len(nodes)
	p := &population{group: make([]int32, n), gp: make([]bool, n), icbNode: make([]bool, n), figure: make([]int64, n), known: make([]bool, n)}
	groupOf := map[int32]int32{} // ICB node index → group
	group := func(icb int32) int32 {
		if g, ok := groupOf[icb]; ok {
			return g
		}
		g := int32(len(p.icb))
		groupOf[icb] = g
		p.icb = append(p.icb, icb)
		capacity := int64(0)
		if icb >= 0 {
			capacity = max(0, nodes[icb].Patients)
		}
		p.cap = append(p.cap, capacity)
		return g
	}
	for i, nd := range nodes {
		p.group[i] = -1
		if nd.Class != model.ClassOrganisation {
			continue
		}
		p.figure[i] = nd.Patients
		// A supplier serves organisations, not people, and an ICB's figure
		// is a cap: neither leaves a gap in people when it gives none.
		p.known[i] = nd.Gives("patients") || nd.Kind == "supplier" || nd.Kind == "icb"
		icb := int32(-1)
		switch {
		case nd.Kind == "icb":
			icb = int32(i)
			p.icbNode[i] = true
		case nd.ICB != "":
			if j, ok := index[nd.ICB]; ok {
				icb = j
			}
		}
		p.group[i] = group(icb)
		p.gp[i] = nd.Kind == "gp-practice"
	}
	return p
}

// headcount adds up people over a set of organisations. It is reused from
// one analysis to the next; its cost follows the organisations added.
type headcount struct {
	pop   *population
	lists []int64 // by group: GP practices' lists added
	top   []int64 // by group: the largest other figure
	in    []bool  // by group: has members in the current count
	used  []int32 // groups with members in the current count
}

func (p *population) counter() *headcount {
	k := len(p.cap)
	return &headcount{pop: p, lists: make([]int64, k), top: make([]int64, k), in: make([]bool, k)}
}

// add counts organisation v (services are ignored).
func (h *headcount) add(v int32) {
	p := h.pop
	g := p.group[v]
	if g < 0 {
		return
	}
	if !h.in[g] {
		h.in[g] = true
		h.used = append(h.used, g)
	}
	switch {
	case p.icbNode[v]:
	case p.gp[v]:
		h.lists[g] += p.figure[v]
	default:
		h.top[g] = max(h.top[g], p.figure[v])
	}
}

// people returns the count of the group.
func (h *headcount) people(g int32) int64 {
	n := max(h.lists[g], h.top[g])
	if c := h.pop.cap[g]; c > 0 {
		n = min(n, c)
	}
	return n
}

// total returns the people of everything added since the last total, and
// starts a new count.
func (h *headcount) total() int64 {
	var n int64
	for _, g := range h.used {
		n += h.people(g)
		h.lists[g], h.top[g], h.in[g] = 0, 0, false
	}
	h.used = h.used[:0]
	return n
}

// Area is the share of a radius that falls in one ICB.
type Area struct {
	// ICB is the id of the ICB, or empty for organisations that name none.
	ICB  string `json:"icb"`
	Name string `json:"name,omitempty"`
	// Population is the ICB's own figure, 0 if the model gives none.
	Population    int64 `json:"population"`
	Organisations int   `json:"organisations"`
	People        int64 `json:"people"`
}

// People returns how many distinct people the organisations serve, counting
// each person at most once (see the package notes on counting people), and
// the same figure ICB by ICB, in id order of the ICB ("no ICB" last). Ids of
// services are ignored; unknown ids are an error.
func (g *Graph) People(ids []string) (int64, []Area, error) {
	h := g.pop.counter()
	orgs := make([]int, len(g.pop.cap))
	seen := map[int32]bool{}
	for _, id := range ids {
		i, ok := g.index[id]
		if !ok {
			return 0, nil, &UnknownIDError{ID: id, Suggestion: g.suggest(id)}
		}
		if seen[i] {
			continue
		}
		seen[i] = true
		if gr := g.pop.group[i]; gr >= 0 {
			orgs[gr]++
		}
		h.add(i)
	}
	var areas []Area
	for _, gr := range h.used {
		a := Area{Organisations: orgs[gr], People: h.people(gr), Population: g.pop.cap[gr]}
		if ix := g.pop.icb[gr]; ix >= 0 {
			a.ICB, a.Name = g.nodes[ix].ID, g.nodes[ix].Name
		}
		areas = append(areas, a)
	}
	slices.SortFunc(areas, func(a, b Area) int {
		switch {
		case a.ICB == b.ICB:
			return 0
		case a.ICB == "":
			return 1
		case b.ICB == "":
			return -1
		case a.ICB < b.ICB:
			return -1
		}
		return 1
	})
	return h.total(), areas, nil
}

// shelter gives each dominator the people its dominated organisations
// serve, each person counted once, as People counts them.
func (g *Graph) shelter(ds []Dominator) {
	h := g.pop.counter()
	for i := range ds {
		for _, id := range ds[i].Dominates {
			h.add(g.index[id])
		}
		ds[i].People = h.total()
	}
}
