package graph

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/blastradius/blastradius/model"
	gonum "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/path"
	"gonum.org/v1/gonum/graph/simple"
)

// Way is one way an effect travels from a seed to a node.
type Way struct {
	Steps []Step `json:"steps"`
	// Likelihood is the product of the likelihoods of the dependencies
	// crossed (operators count as 1).
	Likelihood float64 `json:"likelihood"`
	// Conditional is set when a step crosses a critical dependency that
	// has alternatives: the outage crosses only if they are all down too.
	Conditional bool `json:"conditional,omitempty"`
}

// Unless is the alternatives that stand in at the way's conditional
// steps: the way disrupts as it says only if all of them are down too.
func (w Way) Unless() []string {
	var out []string
	for _, s := range w.Steps {
		for _, a := range s.Unless {
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// Step is one node on a way, with the effect it has there and the
// relations by which the effect arrived (empty for the seed).
type Step struct {
	ID        string           `json:"id"`
	Effect    Effect           `json:"effect"`
	Relations []model.Relation `json:"relations,omitempty"`
	// Unless is, for a step that crosses a critical dependency with
	// alternatives, those alternatives: the outage crosses only if every
	// one of them is down too.
	Unless []string `json:"unless,omitempty"`
}

// Paths returns up to k shortest ways an effect can travel from the seed
// from to the node to, in the given mode. A way is a run of compromise
// steps, then a run of outage steps (ransomware only), then at most one
// step that degrades or exposes: degradation and exposure do not spread.
// Ways are ordered by the severity of the effect at to, most severe first,
// then by length, then by likelihood, higher first, then by the ids along
// them.
func (g *Graph) Paths(from, to string, mode model.Mode, k int) ([]Way, error) {
	mode, err := checkMode(mode)
	if err != nil {
		return nil, err
	}
	if _, err := g.resolve([]string{from, to}); err != nil {
		return nil, err
	}
	if from == to {
		return nil, fmt.Errorf("from and to name the same node %q", from)
	}
	if k < 1 {
		return nil, fmt.Errorf("k must be at least 1, got %d", k)
	}
	src, dst := g.index[from], g.index[to]
	ps := &phaseSpace{g: g, mode: mode}
	// Forward from (src, compromised), then backward from dst, over the
	// same steps: only states on some way from src to dst are kept.
	fwd := map[state]bool{{src, Compromised}: true}
	queue := []state{{src, Compromised}}
	var edges []phaseEdge
	for i := 0; i < len(queue); i++ {
		for _, e := range ps.next(queue[i]) {
			edges = append(edges, e)
			if !fwd[e.to] {
				fwd[e.to] = true
				queue = append(queue, e.to)
			}
		}
	}
	rev := map[state][]int{}
	for i, e := range edges {
		rev[e.to] = append(rev[e.to], i)
	}
	keep := map[state]bool{}
	queue = queue[:0]
	for _, eff := range []Effect{Compromised, Disrupted, Degraded, Exposed} {
		if s := (state{dst, eff}); fwd[s] {
			keep[s] = true
			queue = append(queue, s)
		}
	}
	for i := 0; i < len(queue); i++ {
		for _, ei := range rev[queue[i]] {
			if u := edges[ei].from; !keep[u] {
				keep[u] = true
				queue = append(queue, u)
			}
		}
	}
	if len(keep) == 0 {
		return []Way{}, nil
	}
	// A weighted graph of the kept states for gonum's Yen algorithm. Each
	// step weighs 1 plus a tiny amount that orders steps by ids, so that
	// among ways of equal length one order holds on every run.
	states := make([]state, 0, len(keep))
	for s := range keep {
		states = append(states, s)
	}
	sort.Slice(states, func(i, j int) bool {
		if states[i].node != states[j].node {
			return states[i].node < states[j].node
		}
		return states[i].eff < states[j].eff
	})
	num := make(map[state]int64, len(states))
	for i, s := range states {
		num[s] = int64(i)
	}
	wg := simple.NewWeightedDirectedGraph(0, 0)
	for i := range states {
		wg.AddNode(simple.Node(i))
	}
	rels := map[pair][]model.Relation{}
	deps := map[pair][]int32{}
	cond := map[pair][]string{}
	var kept []pair
	for _, e := range edges {
		if !keep[e.from] || !keep[e.to] {
			continue
		}
		p := pair{num[e.from], num[e.to]}
		if _, ok := rels[p]; !ok {
			kept = append(kept, p)
		}
		if !containsRel(rels[p], e.rel) {
			rels[p] = append(rels[p], e.rel)
		}
		if !slices.Contains(deps[p], e.dep) {
			deps[p] = append(deps[p], e.dep)
		}
		if e.conditional {
			for _, a := range e.alts {
				if id := g.nodes[a].ID; !slices.Contains(cond[p], id) {
					cond[p] = append(cond[p], id)
				}
			}
		}
	}
	eps := 1 / float64(4*(len(kept)+1)*(len(states)+1))
	weight := func(p pair) float64 { return 1 + eps*float64(p.b+1) }
	chains := compress(kept, num[state{src, Compromised}], func(id int64) bool { return states[id].node == dst })
	for p, chain := range chains {
		w := 0.0
		for i := 1; i < len(chain); i++ {
			w += weight(pair{chain[i-1], chain[i]})
		}
		wg.SetWeightedEdge(simple.WeightedEdge{F: simple.Node(p.a), T: simple.Node(p.b), W: w})
	}
	// expand turns a way through the compressed graph back into states.
	expand := func(p []gonum.Node) []gonum.Node {
		out := []gonum.Node{p[0]}
		for i := 1; i < len(p); i++ {
			for _, id := range chains[pair{p[i-1].ID(), p[i].ID()}][1:] {
				out = append(out, simple.Node(id))
			}
		}
		return out
	}
	// For each effect at to, most severe first, the shortest ways; enough
	// of them that the k most likely of the k-th way's length are among
	// them. Ways that visit a node twice (once compromised, once down, say)
	// say nothing new: drop them, asking Yen for more until k remain or
	// the ways run out.
	ordered := newOrderedGraph(wg)
	out := []Way{}
	for _, eff := range []Effect{Compromised, Disrupted, Degraded, Exposed} {
		end, ok := num[state{dst, eff}]
		if !ok || len(out) >= k {
			continue
		}
		var ways []Way
		for want := k; ; want *= 2 {
			found := path.YenKShortestPaths(ordered, want, math.Inf(1), simple.Node(num[state{src, Compromised}]), simple.Node(end))
			ways = ways[:0]
			for _, p := range found {
				if w := g.way(expand(p), states, rels, deps, cond); simpleWay(w) {
					ways = append(ways, w)
				}
			}
			enough := len(ways) > k && len(ways[len(ways)-1].Steps) > len(ways[k-1].Steps)
			if enough || len(found) < want || want > 1<<14 {
				break
			}
		}
		// Yen gives them by length, then ids; the likelier first among
		// ways of one length.
		slices.SortStableFunc(ways, func(a, b Way) int {
			return cmp.Or(cmp.Compare(len(a.Steps), len(b.Steps)), cmp.Compare(b.Likelihood, a.Likelihood))
		})
		out = append(out, ways[:min(len(ways), k-len(out))]...)
	}
	return out, nil
}

// compress joins each run of states that have one step in and one step out
// into one step of the runs' ends, so that Yen's algorithm, which tries a
// detour from every state of each way it finds, does that work once per
// branching state rather than once per state: a chain or a cycle of n
// nodes costs n, not n². It returns, for each step between kept states
// (src, ends and those that branch), the states it runs through, ends
// included. Two runs between the same ends keep their first step apart,
// so that no way is lost.
func compress(steps []pair, src int64, end func(int64) bool) map[pair][]int64 {
	out := map[int64][]int64{}
	in := map[int64]int{}
	for _, p := range steps {
		out[p.a] = append(out[p.a], p.b)
		in[p.b]++
	}
	inner := map[int64]bool{}
	for id, next := range out {
		if id != src && !end(id) && in[id] == 1 && len(next) == 1 {
			inner[id] = true
		}
	}
	for id := range in {
		if _, ok := out[id]; !ok {
			inner[id] = false
		}
	}
	for {
		chains := map[pair][]int64{}
		clash := false
		for _, p := range steps {
			if inner[p.a] {
				continue
			}
			chain := []int64{p.a, p.b}
			for v := p.b; inner[v]; {
				v = out[v][0]
				chain = append(chain, v)
				if v == p.a || len(chain) > len(steps)+1 {
					break
				}
			}
			k := pair{p.a, chain[len(chain)-1]}
			if k.a == k.b {
				continue // a loop back to its start: no way uses it
			}
			if first, dup := chains[k]; dup {
				// Keep one of the runs apart: the one with a state inside.
				if inner[p.b] {
					inner[p.b] = false
				} else {
					inner[first[1]] = false
				}
				clash = true
				continue
			}
			chains[k] = chain
		}
		if !clash {
			return chains
		}
	}
}

// orderedGraph is a weighted graph whose successors come in id order.
// gonum's simple graphs hand them out in map order, which makes Dijkstra,
// and so Yen, break ties differently from run to run.
type orderedGraph struct {
	*simple.WeightedDirectedGraph
	succ map[int64][]gonum.Node
}

func newOrderedGraph(g *simple.WeightedDirectedGraph) orderedGraph {
	og := orderedGraph{WeightedDirectedGraph: g, succ: map[int64][]gonum.Node{}}
	nodes := g.Nodes()
	for nodes.Next() {
		id := nodes.Node().ID()
		succ := gonum.NodesOf(g.From(id))
		sort.Slice(succ, func(i, j int) bool { return succ[i].ID() < succ[j].ID() })
		og.succ[id] = succ
	}
	return og
}

// From returns the successors of id in id order. It hands out a copy: Yen's
// algorithm filters the slice it gets in place.
func (g orderedGraph) From(id int64) gonum.Nodes {
	return iterator.NewOrderedNodes(slices.Clone(g.succ[id]))
}

func simpleWay(w Way) bool {
	seen := map[string]bool{}
	for _, s := range w.Steps {
		if seen[s.ID] {
			return false
		}
		seen[s.ID] = true
	}
	return true
}

func containsRel(rs []model.Relation, r model.Relation) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// pair is a step between two numbered states.
type pair struct{ a, b int64 }

func (g *Graph) way(p []gonum.Node, states []state, rels map[pair][]model.Relation, deps map[pair][]int32, cond map[pair][]string) Way {
	w := Way{Likelihood: 1}
	for i, n := range p {
		s := states[n.ID()]
		st := Step{ID: g.nodes[s.node].ID, Effect: s.eff}
		if i > 0 {
			key := pair{p[i-1].ID(), n.ID()}
			st.Relations = rels[key]
			st.Unless = cond[key]
			w.Conditional = w.Conditional || len(cond[key]) > 0
			w.Likelihood *= g.likelihood(deps[key])
		}
		w.Steps = append(w.Steps, st)
	}
	return w
}

// likelihood is the highest likelihood among the dependencies of a step
// (an operator, -1, counts as 1).
func (g *Graph) likelihood(deps []int32) float64 {
	best := 0.0
	for _, d := range deps {
		if d < 0 {
			return 1
		}
		best = max(best, g.model.Dependencies[d].Likelihood)
	}
	return best
}

// state is a node with the effect it has on a way.
type state struct {
	node int32
	eff  Effect
}

type phaseEdge struct {
	from, to    state
	rel         model.Relation
	dep         int32
	conditional bool
	// alts are, for a conditional step, the alternatives that must all be
	// down too for the outage to cross.
	alts []int32
}

type phaseSpace struct {
	g    *Graph
	mode model.Mode
}

// next lists the steps out of a state.
func (ps *phaseSpace) next(s state) []phaseEdge {
	g := ps.g
	u := s.node
	var out []phaseEdge
	add := func(v int32, eff Effect, rel uint8, dep int32, conditional bool) {
		out = append(out, phaseEdge{from: s, to: state{v, eff}, rel: relationName[rel], dep: dep, conditional: conditional})
	}
	// Each step has the strongest effect its relation forces: out of a
	// compromised node, a relation whose compromise no control stops
	// (hosting, operator) compromises, so its steps are not also listed as
	// outages or exposure.
	compromised := s.eff == Compromised
	down := s.eff == Disrupted || (compromised && ps.mode == model.Ransomware)
	if compromised {
		for k := g.comp.off[u]; k < g.comp.off[u+1]; k++ {
			add(g.comp.adj[k], Compromised, g.comp.rel[k], g.comp.dep[k], false)
		}
		for k := g.expose.off[u]; k < g.expose.off[u+1]; k++ {
			if !quiet[g.expose.rel[k]] {
				add(g.expose.adj[k], Exposed, g.expose.rel[k], g.expose.dep[k], false)
			}
		}
	}
	if down {
		for k := g.down.off[u]; k < g.down.off[u+1]; k++ {
			if !compromised || !quiet[g.down.rel[k]] {
				add(g.down.adj[k], Disrupted, g.down.rel[k], g.down.dep[k], false)
			}
		}
		for _, e := range g.svc.of(u) {
			c, r, d := g.svcFrom[e], g.svcRel[e], g.svcDep[e]
			if g.svcCrit[e] {
				add(c, Disrupted, r, d, len(g.svcAlts[e]) > 0)
				out[len(out)-1].alts = g.svcAlts[e]
			}
			if !g.svcCrit[e] || len(g.svcAlts[e]) > 0 {
				add(c, Degraded, r, d, false)
			}
		}
	}
	return out
}
