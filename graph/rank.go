package graph

import (
	"cmp"
	"slices"
	"sort"

	"github.com/blastradius/blastradius/model"
	gonum "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
)

// Rank is the blast radius of every node as the only seed, largest first.
type Rank struct {
	Model   string      `json:"model"`
	Mode    model.Mode  `json:"mode"`
	Ranking []RankEntry `json:"ranking"`
	// PeopleNotes name the organisations of the model whose figures make a
	// row's people an estimate or leave it unbounded, and why, wherever
	// they are reached.
	PeopleNotes []PeopleNote `json:"people_notes,omitempty"`
}

// RankEntry is one seed's figures: the Summary of Reach from it alone.
// In JSON the summary's fields sit beside the id.
type RankEntry struct {
	ID    string      `json:"id"`
	Name  string      `json:"name"`
	Kind  string      `json:"kind"`
	Class model.Class `json:"class"`
	Summary
}

// Rank computes, for every node, the blast radius of compromising it alone,
// exactly as Reach would, and orders the nodes by organisations affected,
// then people, then id.
//
// Seeds in one strongly connected component of the compromise graph have the
// same compromised set, and so the same result: Rank runs one analysis per
// component, in parallel, each in time linear in what it touches. opt may
// cancel it and asks for progress in components analysed.
func (g *Graph) Rank(mode model.Mode, opt Options) (*Rank, error) {
	mode, err := checkMode(mode)
	if err != nil {
		return nil, err
	}
	reps, member := g.compromiseComponents()
	sums := make([]Summary, len(reps))
	err = parallel(opt, len(reps), func() *workspace { return newWorkspace(g) }, func(w *workspace, i int) {
		w.run(reps[i:i+1], mode, false)
		sums[i] = w.summary()
	})
	if err != nil {
		return nil, err
	}
	r := &Rank{Model: g.model.Name, Mode: mode, Ranking: make([]RankEntry, len(g.nodes)), PeopleNotes: g.ModelPeopleNotes()}
	for v, n := range g.nodes {
		r.Ranking[v] = RankEntry{ID: n.ID, Name: n.Name, Kind: n.Kind, Class: n.Class, Summary: sums[member[v]]}
	}
	slices.SortStableFunc(r.Ranking, func(a, b RankEntry) int {
		return cmp.Or(CompareRadii(a.Summary, b.Summary, rankOrder...), cmp.Compare(a.ID, b.ID))
	})
	return r, nil
}

// rankOrder is the order in which Rank compares radii.
var rankOrder = []Measure{MeasureOrganisations, MeasurePeople}

// compromiseComponents finds the strongly connected components of the
// compromise graph with gonum's Tarjan algorithm. It returns one
// representative per component and, for every node, its component's number.
func (g *Graph) compromiseComponents() (reps []int32, member []int32) {
	sg := simple.NewDirectedGraph()
	for i := range g.nodes {
		sg.AddNode(simple.Node(i))
	}
	for u := range g.nodes {
		for _, v := range g.comp.of(int32(u)) {
			if int(v) != u && !sg.HasEdgeFromTo(int64(u), int64(v)) {
				sg.SetEdge(simple.Edge{F: simple.Node(u), T: simple.Node(v)})
			}
		}
	}
	return components(sg, len(g.nodes))
}

// components finds the strongly connected components of sg, a graph on
// nodes 0 to n-1, with gonum's Tarjan algorithm. It returns one
// representative per component, its smallest node, and every node's
// component, numbered by their smallest node so that the order of work does
// not depend on the order Tarjan returns them in.
func components(sg *simple.DirectedGraph, n int) (reps []int32, member []int32) {
	member = make([]int32, n)
	sccs := topo.TarjanSCC(sg)
	sort.Slice(sccs, func(i, j int) bool { return minID(sccs[i]) < minID(sccs[j]) })
	reps = make([]int32, len(sccs))
	for c, scc := range sccs {
		reps[c] = int32(minID(scc))
		for _, n := range scc {
			member[n.ID()] = int32(c)
		}
	}
	return reps, member
}

func minID(nodes []gonum.Node) int64 {
	m := nodes[0].ID()
	for _, n := range nodes[1:] {
		m = min(m, n.ID())
	}
	return m
}
