package graph

import (
	"slices"
	"strings"

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
// the ICB's population where the model gives it (0 is a figure). An
// organisation that serves several ICBs counts in each: with the file's
// people per ICB where it gives them, otherwise with its one figure split
// among them by their populations (equally if one gives none), an estimate
// PeopleNotes names. Organisations that name no ICB form one group of their
// own, without a cap: where the model has ICBs, whose people they are is
// unknown, so the group overlaps the ICBs' people instead of adding to them
// (the radius counts the larger). The result is a floor: at least this many
// distinct people are served by an affected organisation. The sum of every
// affected organisation's own figure stays available as patients, an
// activity measure that overlaps and is never shown as people.

// regional marks, in population.group, an organisation counted in several
// groups (its shares).
const regional = -2

// population is what counting people needs of each node, by index.
type population struct {
	group    []int32 // the node's ICB group, -1 for services, regional
	gp       []bool  // a GP practice: its figure is a registered list
	icbNode  []bool  // an ICB: its figure is the group's cap, not a member's
	figure   []int64
	known    []bool  // the node's figure is given (0 included) or not needed
	cap      []int64 // by group: the ICB's population
	capKnown []bool  // by group: the ICB gives its population
	icb      []int32 // by group: the ICB's node index, or -1 for "no ICB"
	// shares are, for each regional organisation, its figure in each group.
	shares map[int32][]share
	// split marks the regional organisations whose figure is split, an
	// estimate; splitEqually those split equally for want of populations.
	split        map[int32]bool
	splitEqually map[int32]bool
	noICB        int32 // the "no ICB" group, or -1
	hasICBs      bool  // the model has organisations of kind icb
}

type share struct {
	group  int32
	figure int64
}

func newPopulation(nodes []*model.Node, index map[string]int32) *population {
	n := len(nodes)
	p := &population{group: make([]int32, n), gp: make([]bool, n), icbNode: make([]bool, n), figure: make([]int64, n), known: make([]bool, n), noICB: -1}
	groupOf := map[int32]int32{} // ICB node index → group
	group := func(icb int32) int32 {
		if g, ok := groupOf[icb]; ok {
			return g
		}
		g := int32(len(p.icb))
		groupOf[icb] = g
		p.icb = append(p.icb, icb)
		capacity, given := int64(0), false
		if icb >= 0 {
			capacity, given = max(0, nodes[icb].Patients), nodes[icb].GivesPatients()
		} else {
			p.noICB = g
		}
		p.cap = append(p.cap, capacity)
		p.capKnown = append(p.capKnown, given)
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
		p.known[i] = nd.GivesPatients() || nd.Kind == "supplier" || nd.Kind == "icb"
		p.gp[i] = nd.Kind == "gp-practice"
		if nd.Kind == "icb" {
			p.hasICBs = true
			p.icbNode[i] = true
			p.group[i] = group(int32(i))
			continue
		}
		var served []int32
		for _, s := range nd.ServedICBs() {
			if j, ok := index[s.ID]; ok && nodes[j].Kind == "icb" {
				served = append(served, j)
			}
		}
		switch len(served) {
		case 0:
			p.group[i] = group(-1)
		case 1:
			p.group[i] = group(served[0])
		default:
			p.group[i] = regional
			p.addShares(int32(i), nd, nodes, served, group)
		}
	}
	return p
}

// addShares gives a regional organisation its figure in each ICB it
// serves: the file's, or its one figure split by the ICBs' populations
// (equally where one gives none), the remainder of the division going to
// the first ICBs in file order.
func (p *population) addShares(i int32, nd *model.Node, nodes []*model.Node, served []int32, group func(int32) int32) {
	if p.shares == nil {
		p.shares, p.split, p.splitEqually = map[int32][]share{}, map[int32]bool{}, map[int32]bool{}
	}
	icbs := make([]*model.Node, len(served))
	for k, j := range served {
		icbs[k] = nodes[j]
	}
	weights, equally := model.ICBWeights(nd, icbs)
	out := make([]share, len(served))
	if nd.PeoplePerICB() {
		for k, j := range served {
			out[k] = share{group: group(j), figure: weights[k]}
		}
		p.shares[i] = out
		return
	}
	p.split[i], p.splitEqually[i] = true, equally
	var total int64
	for _, w := range weights {
		total += w
	}
	f := nd.Patients
	var given int64
	for k, j := range served {
		// f × w / total without overflow: f ≤ 10^8 and w ≤ 10^8.
		out[k] = share{group: group(j), figure: f * weights[k] / total}
		given += out[k].figure
	}
	for k := 0; given < f; k = (k + 1) % len(out) {
		out[k].figure++
		given++
	}
	p.shares[i] = out
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
	switch g := p.group[v]; {
	case g == regional:
		for _, s := range p.shares[v] {
			h.addTo(s.group, s.figure, p.gp[v])
		}
	case g >= 0:
		if p.icbNode[v] {
			h.addTo(g, 0, false)
			return
		}
		h.addTo(g, p.figure[v], p.gp[v])
	}
}

func (h *headcount) addTo(g int32, figure int64, gp bool) {
	if !h.in[g] {
		h.in[g] = true
		h.used = append(h.used, g)
	}
	if gp {
		h.lists[g] += figure
	} else {
		h.top[g] = max(h.top[g], figure)
	}
}

// people returns the count of the group.
func (h *headcount) people(g int32) int64 {
	n := max(h.lists[g], h.top[g])
	if h.pop.capKnown[g] {
		n = min(n, h.pop.cap[g])
	}
	return n
}

// total returns the people of everything added since the last total, and
// starts a new count: the ICBs' people added up, or the "no ICB" group's
// where that is larger (it may overlap any ICB).
func (h *headcount) total() int64 {
	var n, loose int64
	for _, g := range h.used {
		if g == h.pop.noICB {
			loose = h.people(g)
		} else {
			n += h.people(g)
		}
		h.lists[g], h.top[g], h.in[g] = 0, 0, false
	}
	h.used = h.used[:0]
	return max(n, loose)
}

// Area is the share of a radius that falls in one ICB.
type Area struct {
	// ICB is the id of the ICB, or empty for organisations that name none.
	ICB  string `json:"icb"`
	Name string `json:"name,omitempty"`
	// Population is the ICB's own figure, 0 if the model gives none
	// (PopulationGiven tells them apart).
	Population      int64 `json:"population"`
	PopulationGiven bool  `json:"-"`
	Organisations   int   `json:"organisations"`
	People          int64 `json:"people"`
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
		switch gr := g.pop.group[i]; {
		case gr == regional:
			for _, sh := range g.pop.shares[i] {
				orgs[sh.group]++
			}
		case gr >= 0:
			orgs[gr]++
		}
		h.add(i)
	}
	var areas []Area
	for _, gr := range h.used {
		a := Area{Organisations: orgs[gr], People: h.people(gr), Population: g.pop.cap[gr], PopulationGiven: g.pop.capKnown[gr]}
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

// PeopleNote names an organisation whose figure makes a radius's people an
// estimate, or leaves it unbounded, and why (one of the People reasons).
type PeopleNote struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// The reasons of a PeopleNote, in the order notes are listed.
const (
	// PeopleNoICB: an organisation with a figure names no ICB while the
	// model has ICBs, so its people overlap the ICBs' instead of adding.
	PeopleNoICB = "no-icb"
	// PeopleICBWithoutPatients: an ICB gives no population, so nothing caps
	// its members' figures (the note names the ICB).
	PeopleICBWithoutPatients = "icb-without-patients"
	// PeopleSplit: an organisation serving several ICBs gives one figure,
	// split among them by their populations.
	PeopleSplit = "split-by-population"
	// PeopleSplitEqually: as PeopleSplit, split equally because an ICB it
	// serves gives no population.
	PeopleSplitEqually = "split-equally"
)

// PeopleReasons are the reasons, in order.
var PeopleReasons = []string{PeopleNoICB, PeopleICBWithoutPatients, PeopleSplit, PeopleSplitEqually}

// ModelPeopleNotes lists, for every organisation of the model, where
// people would be an estimate or unbounded if it were reached.
func (g *Graph) ModelPeopleNotes() []PeopleNote {
	all := make([]int32, len(g.nodes))
	for i := range all {
		all[i] = int32(i)
	}
	return g.peopleNotes(all)
}

// peopleNotes lists, for the affected nodes, where people is an estimate
// or unbounded: by reason, then id.
func (g *Graph) peopleNotes(affected []int32) []PeopleNote {
	p := g.pop
	var out []PeopleNote
	note := func(v int32, reason string) {
		out = append(out, PeopleNote{ID: g.nodes[v].ID, Name: g.nodes[v].Name, Reason: reason})
	}
	icbs := map[int32]bool{}
	for _, v := range affected {
		nd := g.nodes[v]
		if nd.Class != model.ClassOrganisation || p.icbNode[v] || p.figure[v] <= 0 {
			continue
		}
		switch gr := p.group[v]; {
		case gr == regional:
			switch {
			case p.splitEqually[v]:
				note(v, PeopleSplitEqually)
			case p.split[v]:
				note(v, PeopleSplit)
			}
			for _, s := range p.shares[v] {
				if !p.capKnown[s.group] && s.figure > 0 {
					icbs[p.icb[s.group]] = true
				}
			}
		case gr == p.noICB:
			if p.hasICBs && nd.Kind != "supplier" && nd.Kind != "national-body" {
				note(v, PeopleNoICB)
			}
		case !p.capKnown[gr]:
			icbs[p.icb[gr]] = true
		}
	}
	for v := range icbs {
		note(v, PeopleICBWithoutPatients)
	}
	slices.SortFunc(out, func(a, b PeopleNote) int {
		if c := slices.Index(PeopleReasons, a.Reason) - slices.Index(PeopleReasons, b.Reason); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}
