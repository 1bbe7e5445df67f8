package graph

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"sync"

	"github.com/blastradius/blastradius/model"
)

// Chokepoints says, for one scenario, where a single change contains the most.
type Chokepoints struct {
	Model   string     `json:"model"`
	Seeds   []string   `json:"seeds"`
	Mode    model.Mode `json:"mode"`
	Summary Summary    `json:"summary"` // the scenario as it is
	// Dominators are the nodes that lie on every way by which the effect
	// reaches some affected organisations, over the states (node, effect
	// carried) that paths walk: keep one of them unaffected and those
	// organisations are spared. None is a seed or a node the seeds take
	// whatever its controls.
	Dominators []Dominator `json:"dominators"`
	// Cut is a smallest set of dependencies whose removal leaves every
	// organisation to protect unaffected by the scenario.
	Cut *Cut `json:"cut"`
	// Changes are single controls or alternatives, best first, with what
	// each would spare in this scenario.
	Changes []Gain `json:"changes"`
}

// Dominator is a node on every path to the organisations it dominates.
type Dominator struct {
	ID            string      `json:"id"`
	Name          string      `json:"name"`
	Kind          string      `json:"kind"`
	Class         model.Class `json:"class"`
	Organisations int         `json:"organisations"`
	Patients      int64       `json:"patients"`
	Dominates     []string    `json:"dominates"`
	People        int64       `json:"people"` // people the dominated organisations serve, each once
}

// Cut is a smallest set of dependencies whose removal leaves the
// organisations to protect unaffected.
type Cut struct {
	Protect []string `json:"protect"`
	// Spared lists protected organisations the scenario does not reach.
	Spared       []string  `json:"spared"`
	Size         int       `json:"size"`
	Dependencies []CutEdge `json:"dependencies"`
	// Unbreakable is set when the seeds reach a node to protect through
	// operators alone (a service a seed runs): no dependency to remove.
	Unbreakable bool `json:"unbreakable,omitempty"`
}

// CutEdge is one dependency of a cut, with where it is written.
type CutEdge struct {
	From string         `json:"from"`
	To   string         `json:"to"`
	Type model.Relation `json:"type"`
	// File is the file that writes it, for a model in many files; empty
	// for the root file.
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

// Gain is what one change would spare.
type Gain struct {
	Change  string `json:"change"`  // in words: "mfa on synnovis-lims"
	Control string `json:"control"` // mfa, segmentation or alternative
	ID      string `json:"id"`      // the node given the control, or the consumer
	To      string `json:"to,omitempty"`
	// Organisations, Patients and Disruptions are how many fewer
	// organisations would be affected, patients affected and organisations
	// disrupted. For the whole network they are summed over every
	// single-seed scenario.
	Organisations int   `json:"organisations_spared"`
	Patients      int64 `json:"patients_spared"`
	People        int64 `json:"people_spared"` // how much Summary.People falls
	Disruptions   int   `json:"disruptions_avoided"`
	spared        Summary
}

// Chokepoints analyses one scenario. protect names the organisations a
// cut keeps unaffected; empty means every organisation the scenario
// affects but the seeds. top bounds the dominators and changes reported (0: 10). An
// Options, if given, may cancel the search for changes and asks for
// progress in changes tried.
func (g *Graph) Chokepoints(seeds []string, mode model.Mode, protect []string, top int, opts ...Options) (*Chokepoints, error) {
	var opt Options
	if len(opts) > 0 {
		opt = opts[0]
	}
	mode, err := checkMode(mode)
	if err != nil {
		return nil, err
	}
	if top <= 0 {
		top = 10
	}
	idx, err := g.resolve(seeds)
	if err != nil {
		return nil, err
	}
	w := newWorkspace(g)
	w.run(idx, mode, true)
	cp := &Chokepoints{Model: g.model.Name, Mode: mode, Summary: w.summary()}
	for _, s := range idx {
		cp.Seeds = append(cp.Seeds, g.nodes[s].ID)
	}
	sg := g.states(idx, mode)
	fixed := w.unstoppable(idx)
	cp.Dominators = g.dominators(sg, fixed, top)
	g.shelter(cp.Dominators)
	if cp.Cut, err = g.minCut(w, sg, idx, mode, protect); err != nil {
		return nil, err
	}
	if cp.Changes, err = g.scenarioGains(w, idx, fixed, mode, top, opt); err != nil {
		return nil, err
	}
	return cp, nil
}

// unstoppable returns the nodes that the compromise of the seeds takes
// whatever controls any node has, in breadth-first order: the seeds, and
// what they reach by steps of relations whose compromise no control stops
// (those the declaration gives no stopping control for compromise: an
// operator's services, a platform's tenants). Chokepoints offers none of
// them as a dominator or a change; a cut may still remove the hosting
// dependency that takes a tenant.
func (w *workspace) unstoppable(seeds []int32) map[int32]bool {
	g := w.g
	in := map[int32]bool{}
	q := []int32{}
	for _, s := range seeds {
		if !in[s] {
			in[s] = true
			q = append(q, s)
		}
	}
	for i := 0; i < len(q); i++ {
		u := q[i]
		for k := g.comp.off[u]; k < g.comp.off[u+1]; k++ {
			if v := g.comp.adj[k]; stopBit[g.comp.rel[k]] == 0 && !in[v] && (w.wd == nil || !w.stopped(&g.comp, k, v)) {
				in[v] = true
				q = append(q, v)
			}
		}
	}
	return in
}

// dominators finds the nodes through which every way of the effect from
// the seeds to an organisation passes, over the states (node, effect
// carried) of the scenario: a node dominates an organisation if keeping
// the node unaffected leaves the organisation unaffected.
func (g *Graph) dominators(sg *stateGraph, fixed map[int32]bool, top int) []Dominator {
	dom := sg.dominators()
	// An organisation is spared if every one of its states is: the nodes
	// on every derivation of each.
	of := map[int32][]int32{}
	var order []int32
	for i, s := range sg.states {
		if !g.orgs[s.node] {
			continue
		}
		if d, ok := of[s.node]; ok {
			of[s.node] = intersect(d, dom[i])
		} else {
			of[s.node] = dom[i]
			order = append(order, s.node)
		}
	}
	byNode := map[int32][]int32{}
	var doms []int32
	for _, o := range order {
		for _, x := range of[o] {
			if x != o && !fixed[x] {
				if byNode[x] == nil {
					doms = append(doms, x)
				}
				byNode[x] = append(byNode[x], o)
			}
		}
	}
	out := []Dominator{}
	for _, x := range doms {
		d := Dominator{ID: g.nodes[x].ID, Name: g.nodes[x].Name, Kind: g.nodes[x].Kind, Class: g.nodes[x].Class}
		for _, o := range byNode[x] {
			d.Dominates = append(d.Dominates, g.nodes[o].ID)
			d.Patients += g.patients[o]
		}
		d.Organisations = len(d.Dominates)
		sort.Strings(d.Dominates)
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b Dominator) int {
		return cmp.Or(cmp.Compare(b.Organisations, a.Organisations), cmp.Compare(b.Patients, a.Patients), cmp.Compare(a.ID, b.ID))
	})
	if len(out) > top {
		out = out[:top]
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// minCut finds a smallest set of dependencies whose removal leaves every
// protected organisation unaffected by the scenario. Any dependency may be
// cut, hosting among them; an operator is not a dependency and cannot be.
// The cut is a minimum cut of the state graph (each dependency a gadget of
// capacity 1 between the states it joins), found by Dinic's algorithm over
// a compact residual network. (The tests check every
// value against gonum's network.MaxFlowDinic on the same network, and the
// cut against every set of up to three dependencies on small models.)
func (g *Graph) minCut(w *workspace, sg *stateGraph, seeds []int32, mode model.Mode, protect []string) (*Cut, error) {
	cut := &Cut{Protect: []string{}, Spared: []string{}, Dependencies: []CutEdge{}}
	var targets []int32
	if len(protect) == 0 {
		for _, v := range w.touched {
			if g.orgs[v] && w.bits[v] != 0 && !containsIdx(seeds, v) {
				targets = append(targets, v)
			}
		}
	} else {
		ids, err := g.resolve(protect)
		if err != nil {
			return nil, err
		}
		for _, v := range ids {
			if containsIdx(seeds, v) {
				return nil, fmt.Errorf("cannot protect %q: it is a seed of the scenario", g.nodes[v].ID)
			}
			if w.seen[v] == w.stamp && w.bits[v] != 0 {
				targets = append(targets, v)
			} else {
				cut.Spared = append(cut.Spared, g.nodes[v].ID)
			}
		}
	}
	sortIdx(targets)
	for _, t := range targets {
		cut.Protect = append(cut.Protect, g.nodes[t].ID)
	}
	if len(targets) == 0 {
		return cut, nil
	}
	fn := newFlowNet(sg, targets, false)
	_, side, ok := fn.maxFlow()
	if !ok {
		cut.Unbreakable = true
		return cut, nil
	}
	var deps, cands []int32
	for _, p := range fn.pairs {
		if d, cuttable := fn.dep[p]; cuttable {
			if !slices.Contains(cands, d) {
				cands = append(cands, d)
			}
			if side[p.a] && !side[p.b] && !slices.Contains(deps, d) {
				deps = append(deps, d)
			}
		}
	}
	// The flow's cut is the smallest unless one hosting dependency must
	// stop both a compromise and an outage (the flow counts it twice), or
	// keeping an alternative up would do (the flow cannot express it). A
	// relaxed flow, which counts every dependency at most once and drops
	// the steps that hang on alternatives, bounds it from below; between
	// the two, every smaller set is tried, up to cutSearch sets.
	if len(deps) > 1 {
		low, _, _ := newFlowNet(sg, targets, true).maxFlow()
		if k := (low + lanes - 1) / lanes; k < len(deps) {
			slices.Sort(cands)
			if better := g.smallerCut(sg, seeds, mode, targets, cands, fn.alike, k, len(deps)-1); better != nil {
				deps = better
			}
		}
	}
	for _, d := range deps {
		cut.Dependencies = append(cut.Dependencies, g.cutEdge(d))
	}
	slices.SortFunc(cut.Dependencies, func(a, b CutEdge) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To), cmp.Compare(a.Type, b.Type))
	})
	cut.Size = len(cut.Dependencies)
	return cut, nil
}

// cutSearch bounds how many sets of dependencies smallerCut tries.
const cutSearch = 20000

// smallerCut tries every set of from to upto of the candidate dependencies,
// smallest first, and returns the first whose removal leaves every target
// unaffected; nil if none does or the search would pass cutSearch sets.
func (g *Graph) smallerCut(sg *stateGraph, seeds []int32, mode model.Mode, targets, cands []int32, alike map[int32][]int32, from, upto int) []int32 {
	w := newWorkspace(g)
	tried := 0
	spares := func(set []int32) bool {
		dead := NewBitset(len(g.model.Dependencies))
		for _, d := range set {
			for _, x := range alike[d] {
				dead.Set(int(x))
			}
		}
		w.use(&world{dead: dead})
		w.run(seeds, mode, false)
		for _, t := range targets {
			if w.seen[t] == w.stamp && w.bits[t] != 0 {
				return false
			}
		}
		return true
	}
	for k := max(from, 1); k <= upto; k++ {
		if binomial(len(cands), k) > cutSearch-tried {
			return nil
		}
		var found []int32
		var try func(start int, set []int32) bool
		try = func(start int, set []int32) bool {
			if len(set) == k {
				if spares(set) {
					found = slices.Clone(set)
					return true
				}
				return false
			}
			for i := start; i < len(cands); i++ {
				if try(i+1, append(set, cands[i])) {
					return true
				}
			}
			return false
		}
		if try(0, nil) {
			return found
		}
	}
	return nil
}

// binomial is n choose k, saturating at cutSearch+1.
func binomial(n, k int) int {
	r := 1
	for i := range k {
		r = r * (n - i) / (i + 1)
		if r > cutSearch {
			return cutSearch + 1
		}
	}
	return r
}

// flowNet is the network a cut is sought in: vertices 0..n-1 (the states,
// then two for each gadget), a source n joined to the seeds' states and a
// sink n+1 joined from every state of a target. A gadget is an arc of
// capacity 1 that every step of one dependency crosses; steps of operators
// and the joins are uncuttable.
type flowNet struct {
	n     int
	pairs []flowPair
	cap   map[flowPair]int
	dep   map[flowPair]int32 // the dependency a gadget's arc removes
	// alike holds, by the first of them, the dependencies written alike
	// (the same ends and type), which one removal removes together.
	alike map[int32][]int32
}

// lanes is the capacity of a dependency in a relaxed network: its gadgets
// share it, so that no cut costs less there than it removes.
const lanes = 12

type flowPair struct{ a, b int }

const uncuttable = 1 << 30

// newFlowNet builds the network of the state graph. The steps of one
// dependency share one gadget when every state they leave steps to every
// state they enter (a service from a provider compromised or down, to a
// consumer disrupted or degraded; a network link, both ways), so that
// cutting it costs 1 however many steps it carries. Otherwise (hosting,
// whose compromise and outage travel apart) each state they leave has a
// gadget of its own, so that an outage never turns into a compromise on
// the way through: a cut that must stop both then counts the dependency
// twice in the flow, and once in the cut.
func newFlowNet(sg *stateGraph, targets []int32, relaxed bool) *flowNet {
	n := len(sg.states)
	fn := &flowNet{cap: map[flowPair]int{}, dep: map[flowPair]int32{}, alike: map[int32][]int32{}}
	type step struct{ from, to int }
	byDep := map[int32][]step{}
	var deps []int32
	// Dependencies written twice, alike, are one: removing it removes both.
	type key struct {
		from, to string
		rel      model.Relation
	}
	first := map[key]int32{}
	for to, in := range sg.in {
		for _, s := range in {
			if relaxed && len(s.alts) > 0 {
				continue
			}
			if s.dep < 0 {
				fn.cap[flowPair{int(s.from), to}] = uncuttable
				continue
			}
			d := sg.g.model.Dependencies[s.dep]
			k := key{d.From, d.To, d.Type}
			if d.Type.Info().BothWays && k.to < k.from { // a link, written either way
				k.from, k.to = k.to, k.from
			}
			if f, ok := first[k]; ok {
				if !slices.Contains(fn.alike[f], s.dep) {
					fn.alike[f] = append(fn.alike[f], s.dep)
				}
				s.dep = f
			} else {
				first[k] = s.dep
				fn.alike[s.dep] = []int32{s.dep}
			}
			if _, ok := byDep[s.dep]; !ok {
				deps = append(deps, s.dep)
			}
			byDep[s.dep] = append(byDep[s.dep], step{int(s.from), to})
		}
	}
	next := n
	capOf := 1
	gadget := func(d int32, steps []step) {
		in, out := next, next+1
		next += 2
		for _, s := range steps {
			fn.cap[flowPair{s.from, in}] = uncuttable
			fn.cap[flowPair{out, s.to}] = uncuttable
		}
		fn.cap[flowPair{in, out}] = capOf
		fn.dep[flowPair{in, out}] = d
	}
	for _, d := range deps {
		steps := byDep[d]
		has := map[step]bool{}
		var froms, tos []int
		for _, s := range steps {
			has[s] = true
			if !slices.Contains(froms, s.from) {
				froms = append(froms, s.from)
			}
			if !slices.Contains(tos, s.to) {
				tos = append(tos, s.to)
			}
		}
		complete := true
		for _, f := range froms {
			for _, t := range tos {
				complete = complete && (f == t || has[step{f, t}])
			}
		}
		if complete {
			capOf = 1
			if relaxed {
				capOf = lanes
			}
			gadget(d, steps)
			continue
		}
		capOf = 1
		if relaxed {
			capOf = max(1, lanes/len(froms))
		}
		for _, f := range froms {
			var mine []step
			for _, s := range steps {
				if s.from == f {
					mine = append(mine, s)
				}
			}
			gadget(d, mine)
		}
	}
	fn.n = next
	src, snk := next, next+1
	for i := range sg.roots {
		fn.cap[flowPair{src, i}] = uncuttable
	}
	target := map[int32]bool{}
	for _, t := range targets {
		target[t] = true
	}
	for i, s := range sg.states {
		if target[s.node] {
			fn.cap[flowPair{i, snk}] = uncuttable
		}
	}
	for p := range fn.cap {
		fn.pairs = append(fn.pairs, p)
	}
	sort.Slice(fn.pairs, func(i, j int) bool {
		if fn.pairs[i].a != fn.pairs[j].a {
			return fn.pairs[i].a < fn.pairs[j].a
		}
		return fn.pairs[i].b < fn.pairs[j].b
	})
	return fn
}

// maxFlow finds a maximum flow by Dinic's algorithm and returns its value
// and the source side of a minimum cut. ok is false if
// the flow is unbounded: the seeds reach a target through operators alone.
func (fn *flowNet) maxFlow() (value int, side []bool, ok bool) {
	type arcT struct{ to, rev, cap int }
	src, snk := fn.n, fn.n+1
	adj := make([][]arcT, fn.n+2)
	for _, p := range fn.pairs {
		adj[p.a] = append(adj[p.a], arcT{p.b, len(adj[p.b]), fn.cap[p]})
		adj[p.b] = append(adj[p.b], arcT{p.a, len(adj[p.a]) - 1, 0})
	}
	// reach marks what the source reaches over arcs of at least least.
	q := make([]int, 0, fn.n+2)
	reach := func(least int) []bool {
		seen := make([]bool, fn.n+2)
		seen[src] = true
		q = append(q[:0], src)
		for i := 0; i < len(q); i++ {
			for _, a := range adj[q[i]] {
				if a.cap >= least && !seen[a.to] {
					seen[a.to] = true
					q = append(q, a.to)
				}
			}
		}
		return seen
	}
	if reach(uncuttable)[snk] {
		return 0, nil, false
	}
	// Dinic's algorithm: breadth-first levels, then blocking flows by
	// depth-first search along them.
	level := make([]int, fn.n+2)
	next := make([]int, fn.n+2)
	var push func(u, limit int) int
	push = func(u, limit int) int {
		if u == snk {
			return limit
		}
		for ; next[u] < len(adj[u]); next[u]++ {
			a := &adj[u][next[u]]
			if a.cap <= 0 || level[a.to] != level[u]+1 {
				continue
			}
			if f := push(a.to, min(limit, a.cap)); f > 0 {
				a.cap -= f
				adj[a.to][a.rev].cap += f
				return f
			}
		}
		return 0
	}
	for {
		for i := range level {
			level[i] = -1
		}
		level[src] = 0
		q = append(q[:0], src)
		for i := 0; i < len(q); i++ {
			u := q[i]
			for _, a := range adj[u] {
				if a.cap > 0 && level[a.to] < 0 {
					level[a.to] = level[u] + 1
					q = append(q, a.to)
				}
			}
		}
		if level[snk] < 0 {
			break
		}
		clear(next)
		for f := push(src, uncuttable); f > 0; f = push(src, uncuttable) {
			value += f
		}
	}
	return value, reach(1), true
}

// cutEdge names dependency dep.
func (g *Graph) cutEdge(dep int32) CutEdge {
	d := g.model.Dependencies[dep]
	return CutEdge{From: d.From, To: d.To, Type: d.Type, File: otherFile(d.Pos.File, g.model.File), Line: d.Pos.Line, Column: d.Pos.Column}
}

func containsIdx(s []int32, v int32) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func sortIdx(s []int32) { sort.Slice(s, func(i, j int) bool { return s[i] < s[j] }) }

// candidate is a change to try.
type candidate struct {
	world   *world
	control string
	node    int32 // the node given the control, or the consumer
	to      int32 // the provider, for alternatives
	score   int   // a rough measure used to choose which to try
}

// scenarioGains tries every control that would stop a step the scenario's
// compromise takes, and an alternative that stays up for every critical
// service dependency that went down (its alternatives, if any, all down
// too), each by running the scenario again with the change.
func (g *Graph) scenarioGains(w *workspace, seeds []int32, fixed map[int32]bool, mode model.Mode, top int, opt Options) ([]Gain, error) {
	// The size of each node's subtree in the path forest is a cheap measure
	// of how much hangs on it.
	weight := map[int32]int{}
	for _, v := range w.touched {
		for u := v; u >= 0; u = w.parent[u] {
			weight[u]++
		}
	}
	var cands []candidate
	seenC := map[[2]int32]bool{}
	for _, u := range w.touched {
		if !w.has(u, bitC) {
			continue
		}
		for k := g.comp.off[u]; k < g.comp.off[u+1]; k++ {
			v, bit := g.comp.adj[k], stopBit[g.comp.rel[k]]
			if fixed[v] || bit == 0 {
				continue
			}
			key := [2]int32{v, int32(bit)}
			if !seenC[key] {
				seenC[key] = true
				cands = append(cands, g.controlCandidate(v, bit, weight[v]))
			}
		}
	}
	if mode == model.Ransomware {
		for _, u := range w.touched {
			if !w.has(u, bitD) {
				continue
			}
			for _, e := range g.svc.of(u) {
				c := g.svcFrom[e]
				if g.svcCrit[e] && w.has(c, bitD) && !w.has(c, bitC) && !fixed[c] && w.allDown(e) {
					cands = append(cands, g.altCandidate(e, weight[c]))
				}
			}
		}
	}
	base := w.summary()
	// Try those of highest score.
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	cands = cands[:min(len(cands), 200)]
	gains := make([]Summary, len(cands))
	err := parallel(opt, len(cands), func() *workspace { return newWorkspace(g) }, func(ws *workspace, i int) {
		ws.use(cands[i].world)
		ws.run(seeds, mode, false)
		gains[i] = ws.summary()
	})
	if err != nil {
		return nil, err
	}
	out := make([]Gain, 0, len(gains))
	for i, s := range gains {
		out = append(out, g.gain(cands[i], base, s))
	}
	return bestGains(out, top), nil
}

// comps returns the components whose scenarios a candidate of
// NetworkGains can alter: those that compromise its node, for a control,
// or that disrupt it without compromise, for an alternative.
func (c *candidate) comps(reachC, reachD [][]int32) []int32 {
	if len(c.world.add) > 0 {
		return reachC[c.node]
	}
	return reachD[c.node]
}

// controlCandidate is the change that gives v the control of bit.
func (g *Graph) controlCandidate(v int32, bit uint8, score int) candidate {
	control := stopping[bits.TrailingZeros8(bit)]
	return candidate{world: &world{add: []nodeBits{{v, bit}}}, control: control, node: v, to: -1, score: score}
}

// altCandidate is the change that gives service edge e an alternative that
// stays up.
func (g *Graph) altCandidate(e int32, score int) candidate {
	return candidate{world: &world{alts: []edgeAlt{{e, -1}}}, control: "alternative", node: g.svcFrom[e], to: g.svcTo[e], score: score}
}

// gain says what a change spared: base less after.
func (g *Graph) gain(c candidate, base, after Summary) Gain {
	spared := base.Sub(after)
	gn := Gain{Control: c.control, ID: g.nodes[c.node].ID, spared: spared,
		Organisations: spared.Organisations, Patients: spared.Patients, People: spared.People, Disruptions: spared.Disrupted}
	switch c.control {
	case "alternative":
		gn.To = g.nodes[c.to].ID
		gn.Change = fmt.Sprintf("an alternative for %s's dependency on %s", gn.ID, gn.To)
	default:
		gn.Change = fmt.Sprintf("%s on %s", c.control, gn.ID)
	}
	return gn
}

// gainOrder is the order in which changes are compared by what they spare.
var gainOrder = []Measure{MeasureOrganisations, MeasureDisrupted, MeasurePatients}

// bestGains keeps changes that spare something of gainOrder, best first.
func bestGains(gs []Gain, top int) []Gain {
	out := gs[:0]
	for _, x := range gs {
		if slices.ContainsFunc(gainOrder, func(m Measure) bool { return x.spared.Of(m) > 0 }) {
			out = append(out, x)
		}
	}
	slices.SortStableFunc(out, func(a, b Gain) int {
		return cmp.Or(CompareRadii(a.spared, b.spared, gainOrder...), cmp.Compare(a.Change, b.Change))
	})
	if len(out) > top {
		out = out[:top]
	}
	return append([]Gain{}, out...)
}

// NetworkGains finds the single changes (mfa or segmentation on a node, or
// an alternative for a critical service dependency) that most shrink the
// total blast radius of the whole network: the sum, over every node as the
// only seed, of organisations affected. Every candidate is covered: a
// change can spare something only in the single-seed scenarios that reach
// the node it changes (compromised, for a control; disrupted and not
// compromised, for an alternative), and at most the organisations those
// scenarios affect, and, per scenario, at most the organisations the
// node's effect could reach. Candidates are tried in the order of the
// second bound, and each is ruled out as soon as what it spared in the
// scenarios run so far and the bound of the rest fall short of the top;
// the search stops once no untried one can enter the best top, or once
// the candidates have taken as many single-seed runs as networkBudget runs
// of the whole network (and at least networkFloor): on the generated
// national model that never happens, and the answer is the best whatever
// the ids, but where two changes spare exactly as much. tries, if above
// 0, bounds how many are tried instead (the tests use it). opt may cancel
// it and asks for progress in whole-network runs: the baseline, then one
// per candidate tried, of those the bound leaves.
func (g *Graph) NetworkGains(mode model.Mode, top, tries int, opt Options) ([]Gain, error) {
	gains, _, err := g.NetworkGainsCovered(mode, top, tries, opt)
	return gains, err
}

// Coverage says which candidates a search of NetworkGains tried, which
// their bound ruled out without a run, and which it left untried when it
// stopped at its budget, with the most any of those could spare.
type Coverage struct {
	Candidates int `json:"candidates"`
	Tried      int `json:"tried"`
	RuledOut   int `json:"ruled_out"`
	Untried    int `json:"untried"`
	// UntriedBound is the most organisations an untried candidate could
	// spare: where it is below the best found, no untried one beats it.
	UntriedBound int `json:"untried_bound,omitempty"`
}

// Complete reports whether every candidate was tried or ruled out.
func (c Coverage) Complete() bool { return c.Untried == 0 }

// NetworkGainsCovered is NetworkGains, with what the search covered.
func (g *Graph) NetworkGainsCovered(mode model.Mode, top, tries int, opt Options) ([]Gain, Coverage, error) {
	var cov Coverage
	mode, err := checkMode(mode)
	if err != nil {
		return nil, cov, err
	}
	if top <= 0 {
		top = 10
	}
	reps, member := g.compromiseComponents()
	size := make([]int, len(reps))
	for _, c := range member {
		size[c]++
	}
	// The runs report progress as a whole; each runs in parallel inside.
	inner := Options{Context: opt.Context, Workers: opt.Workers}
	// Baseline, each component's radius, and for each node the components
	// whose scenarios compromise it, or disrupt it without compromise, with
	// the organisations those scenarios affect: only those scenarios can
	// change with a change to the node, and by at most that.
	boundC := make([]int, len(g.nodes))
	boundD := make([]int, len(g.nodes))
	reachC := make([][]int32, len(g.nodes))
	reachD := make([][]int32, len(g.nodes))
	radius := make([]Summary, len(reps))
	var mu sync.Mutex
	_, err = g.totals(mode, nil, reps, member, size, -1, func(w *workspace, seed int32, weight int) {
		k := member[seed]
		sum := w.summary()
		orgs := sum.Organisations * weight
		mu.Lock()
		radius[k] = sum
		for _, v := range w.touched {
			if w.has(v, bitC) {
				boundC[v] += orgs
				reachC[v] = append(reachC[v], k)
			} else if w.has(v, bitD) {
				boundD[v] += orgs
				reachD[v] = append(reachD[v], k)
			}
		}
		mu.Unlock()
	}, inner)
	if err != nil {
		return nil, cov, err
	}
	var cands []candidate
	for v := range g.nodes {
		v := int32(v)
		var stops uint8 // the controls that would stop some arc into v
		for _, r := range g.compIn(v) {
			stops |= stopBit[r]
		}
		for i := range stopping {
			if bit := uint8(1) << i; stops&bit != 0 && boundC[v] > 0 {
				cands = append(cands, g.controlCandidate(v, bit, boundC[v]))
			}
		}
	}
	if mode == model.Ransomware {
		for e := range g.svcFrom {
			if c := g.svcFrom[e]; g.svcCrit[e] && boundD[c] > 0 {
				cands = append(cands, g.altCandidate(int32(e), boundD[c]))
			}
		}
	}
	// A change to v can spare only what v's effect reaches: per scenario,
	// no more than the organisations downstream of v. That bound, added up
	// over the scenarios the change can alter, orders the candidates.
	down, below := downstream(g), map[int32]int{}
	for i := range cands {
		c := &cands[i]
		u, ok := below[c.node]
		if !ok {
			u = down(c.node)
			below[c.node] = u
		}
		tight := 0
		for _, x := range c.comps(reachC, reachD) {
			tight += size[x] * min(radius[x].Organisations, u)
		}
		c.score = min(c.score, tight)
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	cov.Candidates = len(cands)
	if tries > 0 && len(cands) > tries {
		cov.Untried, cov.UntriedBound = len(cands)-tries, cands[tries].score
		cands = cands[:tries]
	}
	// budget bounds the single-seed runs the candidates may take: as many
	// as networkBudget runs of the whole network, and never fewer than
	// networkFloor.
	budget := max(networkBudget*len(reps), networkFloor)
	if opt.Progress != nil {
		opt.Progress(1, 1+len(cands))
	}
	var out []Gain // the best so far, at most top of them, best first
	// kth is the organisations the top-th best so far spares: a candidate
	// whose bound is below it cannot enter the top.
	kth := func() int {
		if len(out) < top {
			return 0
		}
		return out[top-1].Organisations
	}
	for i, c := range cands {
		if k := kth(); k > 0 && c.score < k {
			cov.RuledOut += len(cands) - i
			cands = cands[:i]
			break
		}
		if tries <= 0 && budget < 0 && len(out) > 0 {
			cov.Untried, cov.UntriedBound = len(cands)-i, c.score
			cands = cands[:i]
			break
		}
		// The scenarios the change can alter, before and after it, those
		// it may spare the most first, run a chunk at a time: once what it
		// spared so far and the most the rest could spare fall short of
		// the top, it is ruled out.
		split := int32(-1)
		if len(c.world.add) > 0 {
			split = member[c.node] // this component may break apart
		}
		u := below[c.node]
		var jobs []networkJob
		for _, k := range c.comps(reachC, reachD) {
			if k != split {
				jobs = append(jobs, networkJob{reps[k], size[k], size[k] * min(radius[k].Organisations, u), radius[k].Scale(size[k])})
			}
		}
		if split >= 0 {
			for v, k := range member {
				if k == split {
					jobs = append(jobs, networkJob{int32(v), 1, min(radius[k].Organisations, u), radius[k]})
				}
			}
		}
		slices.SortStableFunc(jobs, func(a, b networkJob) int { return cmp.Compare(b.tight, a.tight) })
		rest := 0
		weight := make(map[int32]int, len(jobs))
		for _, j := range jobs {
			rest += j.tight
			weight[j.seed] = j.weight
		}
		var before, after Summary
		ruled := false
		for lo, n := 0, networkChunk; lo < len(jobs); lo, n = lo+n, min(2*n, 256) {
			part := jobs[lo:min(len(jobs), lo+n)]
			seeds := make([]int32, len(part))
			for i, j := range part {
				seeds[i] = j.seed
				before = before.Add(j.before)
				rest -= j.tight
			}
			budget -= len(part)
			s, err := g.runAll(mode, c.world, seeds, func(seed int32) int { return weight[seed] }, inner)
			if err != nil {
				return nil, cov, err
			}
			after = after.Add(s)
			if k := kth(); k > 0 && lo+len(part) < len(jobs) && before.Organisations-after.Organisations+rest < k {
				ruled = true
				break
			}
		}
		if ruled {
			cov.RuledOut++
			continue
		}
		cov.Tried++
		out = bestGains(append(out, g.gain(c, before, after)), top)
		if opt.Progress != nil {
			opt.Progress(2+i, 1+len(cands))
		}
	}
	if opt.Progress != nil {
		opt.Progress(1+len(cands), 1+len(cands)) // the rest need no run
	}
	return bestGains(out, top), cov, nil
}

// networkJob is one scenario a candidate of NetworkGains can alter: a
// seed, the scenarios it stands for, the most the candidate could spare
// them, and their radius before it.
type networkJob struct {
	seed          int32
	weight, tight int
	before        Summary
}

// networkChunk is how many scenarios of a candidate NetworkGains runs
// before the first check of its bound; the chunks double to 256 between
// the next ones. They are constants, so that what it rules out does not
// depend on the number of workers.
const networkChunk = 8

// networkBudget is how many whole-network runs the candidates of
// NetworkGains may take between them, and networkFloor the fewest
// single-seed runs: on a model of some hundreds of nodes neither is
// reached, and every candidate is covered.
const (
	networkBudget = 32
	networkFloor  = 5000
)

// downstream returns a function that counts the organisations an effect
// at v could reach, v among them, over every arc that carries any effect
// and every service edge as if its alternatives were down: at least what
// any scenario spares by a change at v.
func downstream(g *Graph) func(v int32) int {
	seen := make([]uint32, len(g.nodes))
	stamp := uint32(0)
	var q []int32
	return func(v int32) int {
		stamp++
		seen[v] = stamp
		q = append(q[:0], v)
		n := 0
		visit := func(x int32) {
			if seen[x] != stamp {
				seen[x] = stamp
				q = append(q, x)
			}
		}
		for i := 0; i < len(q); i++ {
			u := q[i]
			if g.orgs[u] {
				n++
			}
			for _, c := range []*csr{&g.comp, &g.down, &g.expose} {
				for k := c.off[u]; k < c.off[u+1]; k++ {
					visit(c.adj[k])
				}
			}
			for _, e := range g.svc.of(u) {
				visit(g.svcFrom[e])
			}
			for _, e := range g.watch.of(u) {
				visit(g.svcFrom[e])
			}
		}
		return n
	}
}

// compIn returns the relations of the compromise arcs into v.
func (g *Graph) compIn(v int32) []uint8 {
	if g.compRev.off == nil {
		return nil
	}
	return g.compRev.rel[g.compRev.off[v]:g.compRev.off[v+1]]
}

// totals sums the summaries of every node as the only seed, in a world.
// Components stand for their members, except the split one, whose members
// run one by one. visit, if set, sees each run with its seed and weight.
func (g *Graph) totals(mode model.Mode, wd *world, reps, member []int32, size []int, split int32, visit func(*workspace, int32, int), opt Options) (Summary, error) {
	var jobs []int32
	for c, r := range reps {
		if int32(c) != split {
			jobs = append(jobs, r)
		}
	}
	if split >= 0 {
		for v, c := range member {
			if c == split {
				jobs = append(jobs, int32(v))
			}
		}
	}
	weight := func(seed int32) int {
		if member[seed] == split {
			return 1
		}
		return size[member[seed]]
	}
	return g.runAllVisit(mode, wd, jobs, weight, visit, opt)
}

// runAll sums the summaries of each seed alone, in a world, each scaled by
// its weight.
func (g *Graph) runAll(mode model.Mode, wd *world, seeds []int32, weight func(int32) int, opt Options) (Summary, error) {
	return g.runAllVisit(mode, wd, seeds, weight, nil, opt)
}

func (g *Graph) runAllVisit(mode model.Mode, wd *world, seeds []int32, weight func(int32) int, visit func(*workspace, int32, int), opt Options) (Summary, error) {
	sums := make([]Summary, len(seeds))
	var mu sync.Mutex
	var used []*workspace
	defer func() {
		for _, w := range used {
			w.use(nil)
			g.spare.Put(w)
		}
	}()
	err := parallel(opt, len(seeds), func() *workspace {
		w, _ := g.spare.Get().(*workspace)
		if w == nil {
			w = newWorkspace(g)
		}
		w.use(wd)
		mu.Lock()
		used = append(used, w)
		mu.Unlock()
		return w
	}, func(w *workspace, i int) {
		w.run(seeds[i:i+1], mode, false)
		n := weight(seeds[i])
		sums[i] = w.summary().Scale(n)
		if visit != nil {
			visit(w, seeds[i], n)
		}
	})
	var t Summary
	for _, p := range sums {
		t = t.Add(p)
	}
	return t, err
}

// stateGraph is the graph of states (node, effect carried) that a scenario
// reaches, the graph paths use, with the steps between them that fire: a
// step into a consumer over a critical service that has alternatives fires
// only once every alternative is down too. Whatever a change leaves
// affected is reached along these steps (the sets only shrink).
type stateGraph struct {
	g      *Graph
	states []state
	num    map[state]int32
	in     [][]stateStep // by state, the steps that fire into it
	roots  int           // states[:roots] are the seeds, compromised
	downAt map[int32][]int32
}

// stateStep is a step into a state: from another state, over dependency
// dep (-1: an operator) of relation rel, once the nodes alts are all down.
type stateStep struct {
	from int32
	alts []int32
	dep  int32
	rel  model.Relation
}

// states builds the state graph of the seeds' scenario in mode.
func (g *Graph) states(seeds []int32, mode model.Mode) *stateGraph {
	ps := &phaseSpace{g: g, mode: mode}
	sg := &stateGraph{g: g, num: map[state]int32{}, downAt: map[int32][]int32{}}
	reach := func(s state) int32 {
		if i, ok := sg.num[s]; ok {
			return i
		}
		i := int32(len(sg.states))
		sg.num[s] = i
		sg.states = append(sg.states, s)
		sg.in = append(sg.in, nil)
		return i
	}
	isDown := func(s state) bool {
		return s.eff == Disrupted || s.eff == Compromised && mode == model.Ransomware
	}
	ready := func(e phaseEdge) bool {
		for _, a := range e.alts {
			if len(sg.downAt[a]) == 0 {
				return false
			}
		}
		return true
	}
	fire := func(e phaseEdge) {
		to := reach(e.to)
		sg.in[to] = append(sg.in[to], stateStep{sg.num[e.from], e.alts, e.dep, e.rel})
	}
	type waiting struct {
		e    phaseEdge
		done bool
	}
	wait := map[int32][]*waiting{}
	for _, s := range seeds {
		reach(state{s, Compromised})
	}
	sg.roots = len(sg.states)
	for i := 0; i < len(sg.states); i++ {
		s := sg.states[i]
		if isDown(s) {
			first := len(sg.downAt[s.node]) == 0
			sg.downAt[s.node] = append(sg.downAt[s.node], int32(i))
			if first {
				for _, wt := range wait[s.node] {
					if !wt.done && ready(wt.e) {
						wt.done = true
						fire(wt.e)
					}
				}
				delete(wait, s.node)
			}
		}
		for _, e := range ps.next(s) {
			if ready(e) {
				fire(e)
				continue
			}
			wt := &waiting{e: e}
			for _, a := range e.alts {
				if len(sg.downAt[a]) == 0 {
					wait[a] = append(wait[a], wt)
				}
			}
		}
	}
	return sg
}

// dominators returns, for each state, the nodes on every derivation of it
// from the seeds: the nodes whose staying unaffected would leave the state
// unreached. It is the greatest solution of
//
//	dom(s) = {node of s} ∪ ⋂ over the steps into s of
//	         (dom(from) ∪ ⋃ over the step's alternatives a of down(a))
//
// where down(a) is the intersection of dom over a's states that are down,
// found by iterating from "every node" until nothing changes. Without
// alternatives it is the usual dominator relation, by nodes rather than
// states: a node dominates a state if every way to it visits some state of
// the node.
func (sg *stateGraph) dominators() [][]int32 {
	n := len(sg.states)
	dom := make([][]int32, n)
	known := make([]bool, n)
	for i := range sg.roots {
		dom[i], known[i] = []int32{sg.states[i].node}, true
	}
	// down is the intersection over a node's down states; ok false: none
	// is known yet (every node).
	down := func(a int32) ([]int32, bool) {
		var acc []int32
		ok := false
		for _, i := range sg.downAt[a] {
			if known[i] {
				if !ok {
					acc, ok = dom[i], true
				} else {
					acc = intersect(acc, dom[i])
				}
			}
		}
		return acc, ok
	}
	for changed := true; changed; {
		changed = false
		for i := sg.roots; i < n; i++ {
			var acc []int32
			accOK := false
			for _, st := range sg.in[i] {
				if !known[st.from] {
					continue
				}
				in, ok := dom[st.from], true
				for _, a := range st.alts {
					d, dok := down(a)
					if !dok {
						ok = false
						break
					}
					in = union(in, d)
				}
				if !ok {
					continue
				}
				if !accOK {
					acc, accOK = in, true
				} else {
					acc = intersect(acc, in)
				}
			}
			if !accOK {
				continue
			}
			acc = union(acc, []int32{sg.states[i].node})
			if !known[i] || !slices.Equal(acc, dom[i]) {
				dom[i], known[i], changed = acc, true, true
			}
		}
	}
	return dom
}

// intersect and union work on sorted sets.
func intersect(a, b []int32) []int32 {
	var out []int32
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	return out
}

func union(a, b []int32) []int32 {
	out := make([]int32, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			out = append(out, a[i])
			i++
		case a[i] > b[j]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}
