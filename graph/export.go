package graph

import "github.com/blastradius/blastradius/model"

// This file opens the compact index, read-only, to the packages beside
// graph that answer another family of questions over the same graph
// (package timeline: how long, and how much). Nodes are named by their
// number: the i-th id in sorted order.

// Index returns the number of the node with the id.
func (g *Graph) Index(id string) (int32, bool) {
	i, ok := g.index[id]
	return i, ok
}

// Node returns the node of number i.
func (g *Graph) Node(i int32) *model.Node { return g.nodes[i] }

// IsOrganisation reports whether node i is an organisation.
func (g *Graph) IsOrganisation(i int32) bool { return g.orgs[i] }

// Resolve maps seed ids to sorted, distinct node numbers; an unknown id is
// an *UnknownIDError with a suggestion.
func (g *Graph) Resolve(ids []string) ([]int32, error) { return g.resolve(ids) }

// CheckMode defaults an empty mode to ransomware and refuses unknown ones.
func CheckMode(m model.Mode) (model.Mode, error) { return checkMode(m) }

// OutageArc is one way an outage, or a shortfall, crosses from a provider
// to a consumer: an operator, a relation whose declaration carries outage
// (hosting), or one to which "critical" and "alternatives" apply (service,
// critical or not).
type OutageArc struct {
	Consumer int32
	// Relation is the arc's relation, by its number in the declaration
	// (model.AllRelations).
	Relation uint8
	// Dependency is the arc's index in Model().Dependencies; -1 for an
	// operator.
	Dependency int32
	// Alternatives are the node numbers of the dependency's alternatives;
	// shared with the graph, not to be changed.
	Alternatives []int32
}

// OutageArcs appends to buf every arc by which an outage of node u reaches
// a consumer, and returns the extended slice.
func (g *Graph) OutageArcs(u int32, buf []OutageArc) []OutageArc {
	for k := g.down.off[u]; k < g.down.off[u+1]; k++ {
		buf = append(buf, OutageArc{Consumer: g.down.adj[k], Relation: g.down.rel[k], Dependency: g.down.dep[k]})
	}
	for _, e := range g.svc.of(u) {
		buf = append(buf, OutageArc{Consumer: g.svcFrom[e], Relation: g.svcRel[e], Dependency: g.svcDep[e], Alternatives: g.svcAlts[e]})
	}
	return buf
}

// Worlds are the worlds of a Monte Carlo analysis as Simulate draws them:
// whether a dependency holds in world i under a seed is a pure function of
// (seed, i, dependency), so analyses that share a seed share their worlds.
type Worlds struct{ d *draws }

// Worlds returns the worlds that the seed chooses, under the model's
// likelihoods.
func (g *Graph) Worlds(seed uint64) *Worlds { return &Worlds{newDraws(seed, g.likelihoods())} }

// Key returns the key of world number i, which Live and Uniform read.
func (w *Worlds) Key(i int) uint64 { return w.d.world(uint64(i)) }

// Live reports whether dependency dep holds in the world whose key is key;
// an operator (-1) always holds.
func (w *Worlds) Live(key uint64, dep int32) bool { return dep < 0 || w.d.live(key, dep) }

// Uniform returns a number in [0, 1) that is a pure function of the
// world's key and a stream number, independent of the draws of
// dependencies: for analyses that draw more than liveness in one world
// (a recovery time for node i, say).
func (w *Worlds) Uniform(key, stream uint64) float64 {
	return float64(mix64(key^(stream+1)*0x9fb21c651e98df25^0x5851f42d4c957f2d)>>11) / (1 << 53)
}

// Sets computes Reach's four sets, without paths, again and again: each
// run in time linear in what it touches. A Sets is for one goroutine.
type Sets struct {
	w  *workspace
	wd world
}

// NewSets returns a Sets for the graph.
func (g *Graph) NewSets() *Sets { return &Sets{w: newWorkspace(g)} }

// Run computes the sets for the seeds (node numbers, as Resolve returns
// them) in the mode, with every dependency holding when worlds is nil, and
// otherwise in the world whose key is key.
func (s *Sets) Run(seeds []int32, mode model.Mode, worlds *Worlds, key uint64) {
	if worlds == nil {
		s.w.use(nil)
	} else {
		s.wd = world{draws: worlds.d, draw: key}
		s.w.use(&s.wd)
	}
	s.w.run(seeds, mode, false)
}

// Touched returns the nodes the last run gave an effect, in the order it
// reached them; shared, valid until the next run.
func (s *Sets) Touched() []int32 { return s.w.touched }

// Compromised reports whether node v was compromised in the last run.
func (s *Sets) Compromised(v int32) bool { return s.w.has(v, bitC) }

// Down reports whether node v was down (compromised in ransomware, or
// disrupted) in the last run.
func (s *Sets) Down(v int32) bool { return s.w.has(v, bitD) }

// Effects returns the effects of node v in the last run, as Reach lists
// them; nil when it has none.
func (s *Sets) Effects(v int32) []Effect {
	if s.w.seen[v] != s.w.stamp || s.w.bits[v] == 0 {
		return nil
	}
	return s.w.effectsOf(v)
}

// Parallel calls do(s, i) for every i in [0, n), spread over the workers
// of opt, each with its own state from newState; do must write its result
// by index, so that results do not depend on the number of workers. It
// reports progress, stops when opt's context is cancelled, and returns the
// context's error.
func Parallel[S any](opt Options, n int, newState func() S, do func(s S, i int)) error {
	return parallel(opt, n, newState, do)
}
