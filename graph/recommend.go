package graph

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/blastradius/blastradius/model"
)

// RecommendOptions say what Recommend optimises and how it runs.
type RecommendOptions struct {
	Options
	// Budget is how many changes to choose; 0 means 3.
	Budget int
	// Samples is the number of worlds; 0 means DefaultRiskSamples.
	Samples int
	// Seed chooses the worlds.
	Seed uint64
	// Seeds, if given, is one compromise whose expected radius the changes
	// should cut (a scenario); without it, the expected organisations
	// affected a year over every node, each weighted by its entry
	// likelihood.
	Seeds []string
	// Measure is the figure whose expectation the changes cut; the zero
	// value is MeasureOrganisations. Its larger must be worse.
	Measure Measure
}

// Change is one change that Recommend may advise, as its JSON writes it: a
// control added to a node, an alternative outside the model added to a
// critical service dependency, or a dependency removed. Model says it as
// the model.Change it is.
type Change struct {
	// Kind is model.AddControl, model.AddAlternative or
	// model.RemoveDependency.
	Kind    model.ChangeKind `json:"change"`
	ID      string           `json:"id,omitempty"`
	Control string           `json:"control,omitempty"`
	// Dependency is the dependency an alternative is added to, or that is
	// removed.
	Dependency *DependencyRef `json:"dependency,omitempty"`
}

// DependencyRef names a dependency of the model.
type DependencyRef struct {
	From string         `json:"from"`
	To   string         `json:"to"`
	Type model.Relation `json:"type"`

	// Pos is where it is written: the JSON fields file, line and column.
	model.Pos
}

// Model returns the change as a model.Change, which Model.Apply makes
// and RunOf compiles.
func (c Change) Model() model.Change {
	out := model.Change{Kind: c.Kind, ID: c.ID, Control: c.Control}
	if d := c.Dependency; d != nil {
		out.From, out.To, out.Type, out.Pos = d.From, d.To, d.Type, d.Pos
	}
	return out
}

// String says the change in words, as model.Change does.
func (c Change) String() string { return c.Model().String() }

// Advice is one chosen change and what it buys, measured on the same worlds
// before and after (paired), so that its interval is that of the
// difference.
type Advice struct {
	Change
	Description string `json:"description"`
	// Reduction is how much the change cuts the objective, with its 95%
	// interval; Before and After are the objective's means.
	Reduction   float64  `json:"reduction"`
	ReductionCI Interval `json:"reduction_ci"`
	Before      float64  `json:"before"`
	After       float64  `json:"after"`
}

// Recommendations are the changes that cut expected impact the most,
// chosen one at a time (greedily), each given those before it.
type Recommendations struct {
	Model string     `json:"model"`
	Mode  model.Mode `json:"mode"`
	// Seeds is the compromise whose radius is cut; empty: every node,
	// weighted by its entry likelihood.
	Seeds []string `json:"seeds,omitempty"`
	// Objective says what the figures count.
	Objective string `json:"objective"`
	Samples   int    `json:"samples"`
	Seed      uint64 `json:"seed"`
	// Baseline is the objective with no change, with its 95% interval.
	Baseline   float64  `json:"baseline"`
	BaselineCI Interval `json:"baseline_ci"`
	Steps      []Advice `json:"steps"`
	// Candidates counts the changes tried in the first round.
	Candidates int `json:"candidates"`
}

// recommendBlock is how many options Recommend tries between two checks of
// its bound: a constant, so that what it tries does not depend on the
// number of workers.
const recommendBlock = 32

// maxRecommendTouch bounds the memory of the worst-case radii Recommend
// keeps: the sum of every seed's worst-case nodes.
const maxRecommendTouch = 50_000_000

// Recommend chooses up to opt.Budget changes that cut the expected
// figure of opt.Measure (organisations affected) the most, one at a time. Every option is
// measured on the same worlds as the model without it, so each reduction
// is a mean of paired differences. An option is tried on the seeds whose
// worst case reaches the node it changes, since it can change no other.
func (g *Graph) Recommend(mode model.Mode, opt RecommendOptions) (*Recommendations, error) {
	return g.recommend(mode, opt, true)
}

// recommend is Recommend; shortcuts false is the reference the tests hold
// it to: every option tried, and every compromise measured again after
// each change.
func (g *Graph) recommend(mode model.Mode, opt RecommendOptions, shortcuts bool) (*Recommendations, error) {
	mode, err := checkMode(mode)
	if err != nil {
		return nil, err
	}
	if opt.Budget < 0 || opt.Samples < 0 {
		return nil, fmt.Errorf("budget and samples must not be below 0")
	}
	if opt.Budget == 0 {
		opt.Budget = 3
	}
	if opt.Samples == 0 {
		opt.Samples = DefaultRiskSamples
	}
	if int(opt.Measure) >= len(measures) || !opt.Measure.Info().Worse {
		return nil, fmt.Errorf("recommend cuts a measure whose larger is worse, not measure %d", opt.Measure)
	}
	labels := opt.Measure.Info().Labels
	rc := &recommender{g: g, mode: mode, opt: opt, like: g.likelihoods()}
	rc.ends = g.uncertainEnds(rc.like)
	rc.dr = newDraws(opt.Seed, rc.like)
	if rc.batches, err = rc.dr.batches(opt.Options, opt.Samples); err != nil {
		return nil, err
	}
	out := &Recommendations{Model: g.model.Name, Mode: mode, Samples: opt.Samples, Seed: opt.Seed, Steps: []Advice{}}
	if len(opt.Seeds) > 0 {
		idx, err := g.resolve(opt.Seeds)
		if err != nil {
			return nil, err
		}
		rc.scenario = idx
		for _, v := range idx {
			out.Seeds = append(out.Seeds, g.nodes[v].ID)
		}
		out.Objective = "expected " + labels + " affected by the compromise"
	} else {
		out.Objective = "expected " + labels + " affected a year, over every node where an attack may start"
	}
	run := &Run{}
	var redo []int32 // the compromises the last change can change; nil: all
	for round := range opt.Budget {
		if err := rc.prepare(run, redo); err != nil {
			return nil, err
		}
		var ci Interval
		rc.before, ci = rc.total()
		if round == 0 {
			out.Baseline, out.BaselineCI = rc.before, ci
		}
		cands := rc.candidates(run)
		if round == 0 {
			out.Candidates = len(cands)
		}
		type result struct {
			mean   float64
			ci     Interval
			before float64
		}
		res := make([]result, len(cands))
		// Try the options in order of what they can buy at most, a block at
		// a time, and stop when no option left can beat the best found:
		// the choice is the one trying them all would make.
		bound := make([]float64, len(cands))
		order := make([]int, len(cands))
		for i, c := range cands {
			bound[i], order[i] = rc.bound(c), i
		}
		if err := rc.measureBelow(cands); err != nil {
			return nil, err
		}
		err := parallel(opt.Options, len(cands), func() *struct{} { return nil }, func(_ *struct{}, i int) {
			bound[i] = min(bound[i], rc.spared(cands[i]))
		})
		if err != nil {
			return nil, err
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(bound[b], bound[a]) })
		best := -1
		for lo := 0; lo < len(order); lo += recommendBlock {
			if shortcuts && best >= 0 && bound[order[lo]]+1e-9 < res[best].mean {
				break
			}
			block := order[lo:min(len(order), lo+recommendBlock)]
			err := parallel(opt.Options, len(block), rc.newState, func(st *recState, k int) {
				i := block[k]
				m, ci, b, err := rc.evaluate(st, run, cands[i], shortcuts)
				if err == nil {
					res[i] = result{m, ci, b}
				}
			})
			if err != nil {
				return nil, err
			}
			for _, i := range block {
				r := res[i]
				if r.mean > 1e-12 && (best < 0 || r.mean > res[best].mean || r.mean == res[best].mean && i < best) {
					best = i
				}
			}
		}
		if best < 0 {
			break
		}
		c := cands[best]
		out.Steps = append(out.Steps, Advice{Change: c.change, Description: c.change.String(), Reduction: res[best].mean, ReductionCI: res[best].ci,
			Before: res[best].before, After: res[best].before - res[best].mean})
		if shortcuts {
			redo = rc.affected(c)
		}
		run = c.apply(run)
	}
	return out, nil
}

// recommender holds one Recommend under way.
type recommender struct {
	g        *Graph
	mode     model.Mode
	opt      RecommendOptions
	like     []float64
	ends     []bool
	dr       *draws
	batches  []*drawBatch // the worlds' draws, 64 worlds a batch
	scenario []int32      // the one compromise, or nil: every node alone
	// Under the changes chosen so far:
	seeds [][]int32 // the compromises: each node alone, or the scenario
	entry []float64 // by compromise
	touch [][]int32 // by compromise: its worst case's nodes, sorted
	// part is by compromise the nodes of touch it compromises, and those it
	// takes down, in its worst case.
	part   [2][][]int32
	radius [][]float64 // by compromise: the measure in each world; one value if certain
	mean   []float64   // by compromise: the mean of radius
	// nodeBound is by node the expected impact of the compromises whose
	// worst case holds it.
	nodeBound []float64
	reaches   [][]int32 // by node: the compromises whose worst case holds it
	// partBound and partReaches are the same for the compromises whose
	// worst case compromises the node, and those that take it down.
	partBound   [2][]float64
	partReaches [2][][]int32
	before      float64 // the objective
	// For the scenario's bound (downstream): by node, whether its worst
	// case holds it, and the measure of what lies downstream of it there
	// (-1: not yet known); by dependency, the nodes its arcs lead into; and
	// the changes chosen so far, compiled.
	inWorst  []bool
	below    []float64
	depHeads [][]int32
	base     *world
}

// prepare computes the worst cases and the radii in every world under run:
// of the compromises redo lists, or of every one when redo is nil. After a
// change, only the compromises whose worst case held what it changed can
// differ (see affected); the others keep theirs.
func (rc *recommender) prepare(run *Run, redo []int32) error {
	g := rc.g
	base, err := g.sampledWorld(run)
	if err != nil {
		return err
	}
	if rc.scenario != nil {
		rc.seeds, rc.entry = [][]int32{rc.scenario}, []float64{1}
	} else {
		rc.seeds = make([][]int32, len(g.nodes))
		for v := range g.nodes {
			rc.seeds[v] = []int32{int32(v)}
		}
		if rc.entry, _, err = g.entries(run); err != nil {
			return err
		}
	}
	k := len(rc.seeds)
	if redo == nil {
		rc.touch, rc.radius = make([][]int32, k), make([][]float64, k)
		rc.part = [2][][]int32{make([][]int32, k), make([][]int32, k)}
		redo = make([]int32, k)
		for s := range redo {
			redo[s] = int32(s)
		}
	}
	err = parallel(rc.opt.Options, len(redo), func() *recState {
		st := rc.newState()
		st.w.use(base)
		st.x.use(base)
		return st
	}, func(st *recState, i int) {
		s := redo[i]
		rc.touch[s], rc.part[0][s], rc.part[1][s], rc.radius[s] = rc.radii(st, rc.seeds[s])
	})
	if err != nil {
		return err
	}
	rc.mean = make([]float64, k)
	for s, rad := range rc.radius {
		sum := 0.0
		for _, x := range rad {
			sum += x
		}
		rc.mean[s] = sum / float64(len(rad))
	}
	total := 0
	rc.reaches = make([][]int32, len(g.nodes))
	for s, t := range rc.touch {
		total += len(t)
		if total > maxRecommendTouch {
			return fmt.Errorf("the model is too large to recommend over every node (the worst cases hold more than %d nodes in all): recommend for one scenario", maxRecommendTouch)
		}
		for _, v := range t {
			rc.reaches[v] = append(rc.reaches[v], int32(s))
		}
	}
	rc.nodeBound = rc.boundsOf(rc.reaches)
	// Every compromise's worst case lies within the union of them all:
	// the scenario's, or those of every node alone.
	rc.inWorst = make([]bool, len(g.nodes))
	for v, ss := range rc.reaches {
		rc.inWorst[v] = len(ss) > 0
	}
	rc.below = make([]float64, len(g.nodes))
	for v := range rc.below {
		rc.below[v] = -1
	}
	rc.base = base
	for p := range rc.part {
		rc.partReaches[p] = make([][]int32, len(g.nodes))
		for s, t := range rc.part[p] {
			for _, v := range t {
				rc.partReaches[p][v] = append(rc.partReaches[p][v], int32(s))
			}
		}
		rc.partBound[p] = rc.boundsOf(rc.partReaches[p])
	}
	return nil
}

// boundsOf returns, by node, the expected impact of the compromises
// reaches lists for it.
func (rc *recommender) boundsOf(reaches [][]int32) []float64 {
	out := make([]float64, len(reaches))
	for v, ss := range reaches {
		for _, s := range ss {
			out[v] += rc.entry[s] * rc.mean[s]
		}
	}
	return out
}

// radii runs a compromise in the worst case and, unless that touches no
// uncertain dependency, in every world.
func (rc *recommender) radii(st *recState, seeds []int32) (touch, comp, down []int32, radius []float64) {
	w := st.w
	w.run(seeds, rc.mode, false)
	for _, v := range w.touched {
		if w.bits[v] != 0 {
			touch = append(touch, v)
		}
	}
	slices.Sort(touch)
	for _, v := range touch {
		if w.bits[v]&bitC != 0 {
			comp = append(comp, v)
		}
		if w.bits[v]&bitD != 0 {
			down = append(down, v)
		}
	}
	if w.certain(rc.ends) {
		return touch, comp, down, []float64{w.summary().Of(rc.opt.Measure)}
	}
	return touch, comp, down, rc.worlds(st.x, seeds)
}

// worlds returns the measure of compromising seeds in every world, 64
// worlds at a time, as x assumes.
func (rc *recommender) worlds(x *wide, seeds []int32) []float64 {
	radius := make([]float64, rc.opt.Samples)
	for _, b := range rc.batches {
		x.runBatch(seeds, rc.mode, b)
		for j := range b.n {
			radius[int(b.first)+j] = x.sums[j].at(rc.opt.Measure)
		}
	}
	return radius
}

// recState is what one worker of a recommendation reuses: a workspace for
// worst cases and the radii every world shares, and a wide run for the
// others.
type recState struct {
	w *workspace
	x *wide
}

func (rc *recommender) newState() *recState {
	x := newWide(rc.g, rc.dr)
	x.measureOnly(rc.opt.Measure)
	return &recState{w: newWorkspace(rc.g), x: x}
}

// total is the objective under the current changes, with its interval.
func (rc *recommender) total() (float64, Interval) {
	var r running
	for i := range rc.opt.Samples {
		t := 0.0
		for s, rad := range rc.radius {
			t += rc.entry[s] * rad[min(i, len(rad)-1)]
		}
		r.add(t)
	}
	if rc.certainAll() {
		return r.mean, Interval{r.mean, r.mean}
	}
	return r.mean, r.ci().atLeastZero() // an expected count
}

func (rc *recommender) certainAll() bool {
	for _, rad := range rc.radius {
		if len(rad) > 1 {
			return false
		}
	}
	return true
}

// option is a change and the node whose worst case it needs to touch.
type option struct {
	change Change
	node   int32
	nc     *NodeControl
	alt    *Alternative
	mask   int
}

func (c option) apply(r *Run) *Run {
	out := &Run{AddControls: slices.Clone(r.AddControls), Mask: slices.Clone(r.Mask), Alternatives: slices.Clone(r.Alternatives)}
	switch {
	case c.nc != nil:
		out.AddControls = append(out.AddControls, *c.nc)
	case c.alt != nil:
		out.Alternatives = append(out.Alternatives, *c.alt)
	default:
		out.Mask = append(out.Mask, c.mask)
	}
	return out
}

// recommendControls are the controls Recommend may add, in its order of
// preference when two cut impact alike: those that stop an effect crossing
// some relation (the declaration's, model.Stopping), then those that only
// cut the chance an attack starts at a node.
func recommendControls() []string {
	return append(slices.Clone(stopping), "patching", "supported-systems", "edr", "monitoring")
}

// candidates lists the changes worth trying under run: controls first,
// then alternatives, then removals, each in index order, so that ties go
// to the change easiest to make.
func (rc *recommender) candidates(run *Run) []option {
	g := rc.g
	var out []option
	added := map[NodeControl]bool{}
	for _, nc := range run.AddControls {
		added[nc] = true
	}
	masked := map[int]bool{}
	for _, d := range run.Mask {
		masked[d] = true
	}
	// stoppable is by node the controls that would stop some effect
	// crossing a live dependency into it, as the declaration says: at the
	// consumer, or at either end of a link.
	stoppable := make([][]string, len(g.nodes))
	for d, dep := range g.model.Dependencies {
		info := dep.Type.Info()
		if masked[d] || info == nil {
			continue
		}
		ends := []int32{g.index[dep.From]}
		if info.BothWays {
			ends = append(ends, g.index[dep.To])
		}
		for _, c := range info.Stops {
			for _, v := range ends {
				if !slices.Contains(stoppable[v], c) {
					stoppable[v] = append(stoppable[v], c)
				}
			}
		}
	}
	for v, n := range g.nodes {
		if len(rc.reaches[v]) == 0 {
			continue
		}
		for _, c := range recommendControls() {
			nc := NodeControl{n.ID, c}
			if n.Has(c) || added[nc] {
				continue
			}
			eff, _ := model.ControlEffectOf(c)
			useful := slices.Contains(stoppable[v], c) || rc.scenario == nil && eff.Entry < 1
			if useful {
				out = append(out, option{change: Change{Kind: model.AddControl, ID: n.ID, Control: c}, node: int32(v), nc: &nc})
			}
		}
	}
	hasAlt := map[int]bool{}
	for _, a := range run.Alternatives {
		hasAlt[a.Dependency] = true
	}
	ref := func(d int) *DependencyRef {
		dep := g.model.Dependencies[d]
		return &DependencyRef{From: dep.From, To: dep.To, Type: dep.Type, Pos: g.at(dep.Pos)}
	}
	for d, dep := range g.model.Dependencies {
		e := g.depEdge[d]
		p := g.index[dep.To]
		if masked[d] || hasAlt[d] || e < 0 || !g.svcCrit[e] || len(rc.reaches[p]) == 0 {
			continue
		}
		out = append(out, option{change: Change{Kind: model.AddAlternative, Dependency: ref(d)}, node: p, alt: &Alternative{Dependency: d}})
	}
	for d, dep := range g.model.Dependencies {
		if masked[d] {
			continue
		}
		p := g.index[dep.To]
		if len(rc.reaches[p]) == 0 && dep.Type.BothWays() {
			p = g.index[dep.From]
		}
		if len(rc.reaches[p]) == 0 {
			continue
		}
		out = append(out, option{change: Change{Kind: model.RemoveDependency, Dependency: ref(d)}, node: p, mask: d})
	}
	return out
}

// affected returns the compromises an option can change. A control that
// stops compromise can change only those whose worst case compromises its
// node (in a world, too, it stops only arcs into a node that is
// compromised); one that only lowers the node's chance of an attack, only
// the node's own compromise, whose weight it changes; an alternative to a
// service, only those whose worst case takes its provider down (an
// alternative counts only where the provider is down); the removal of a
// dependency, those whose worst case holds its provider or, for a
// dependency that carries both ways, either end.
func (rc *recommender) affected(c option) []int32 {
	var out []int32
	rc.eachAffected(c, func(s int32) { out = append(out, s) })
	slices.Sort(out) // a node's own compromise comes last
	return out
}

// eachAffected calls f for each compromise affected returns, reading the
// lists in place.
func (rc *recommender) eachAffected(c option, f func(s int32)) {
	g := rc.g
	switch {
	case c.nc != nil && controlBit(c.nc.Control) == 0:
		if rc.scenario == nil {
			f(c.node)
		}
		return
	case c.nc != nil:
		ss := rc.partReaches[0][c.node]
		for _, s := range ss {
			f(s)
		}
		if rc.scenario == nil && !slices.Contains(ss, c.node) {
			f(c.node) // its weight changes
		}
		return
	case c.alt != nil:
		for _, s := range rc.partReaches[1][c.node] {
			f(s)
		}
		return
	}
	ss := rc.reaches[c.node]
	if dep := g.model.Dependencies[c.mask]; dep.Type.BothWays() {
		ss = slices.Concat(ss, rc.reaches[g.index[dep.From]], rc.reaches[g.index[dep.To]])
		slices.Sort(ss)
		ss = slices.Compact(ss)
	}
	for _, s := range ss {
		f(s)
	}
}

// bound is at least the most an option can cut the objective: all of the
// expected impact of the compromises it can change (counted twice where
// both ends of a link reach them).
func (rc *recommender) bound(c option) float64 {
	switch {
	case c.nc != nil && controlBit(c.nc.Control) == 0:
		if rc.scenario != nil {
			return 0
		}
		return rc.entry[c.node] * rc.mean[c.node]
	case c.nc != nil:
		b := rc.partBound[0][c.node]
		if rc.scenario == nil && !slices.Contains(rc.partReaches[0][c.node], c.node) {
			b += rc.entry[c.node] * rc.mean[c.node]
		}
		return b
	case c.alt != nil:
		return rc.partBound[1][c.node]
	}
	dep := rc.g.model.Dependencies[max(c.mask, 0)]
	if c.alt != nil {
		dep = rc.g.model.Dependencies[c.alt.Dependency]
	}
	if dep.Type.BothWays() {
		return rc.nodeBound[rc.g.index[dep.From]] + rc.nodeBound[rc.g.index[dep.To]]
	}
	return rc.nodeBound[c.node]
}

// evaluate measures an option: the mean reduction of the objective over
// the worlds, its 95% interval, and the objective before.
func (rc *recommender) evaluate(st *recState, run *Run, c option, shortcuts bool) (float64, Interval, float64, error) {
	g := rc.g
	after := c.apply(run)
	wd, err := g.compile(after)
	if err != nil {
		return 0, Interval{}, 0, err
	}
	// Entries change with a control on the changed node, whose factor
	// comes last in its product (see Entries) unless the default was
	// capped at 1, and with a removal, which may take the provider's last
	// way into a consumer (entries reads the declaration for it).
	entry := rc.entry
	switch {
	case rc.scenario != nil, c.alt != nil:
	case c.nc != nil && rc.entry[c.node] < 1:
		eff, _ := model.ControlEffectOf(c.nc.Control)
		entry = slices.Clone(rc.entry)
		entry[c.node] *= eff.Entry
	default:
		if entry, _, err = g.entries(after); err != nil {
			return 0, Interval{}, 0, err
		}
	}
	affected := rc.affected(c)
	if !shortcuts { // the reference measures every compromise again
		affected = make([]int32, len(rc.seeds))
		for s := range affected {
			affected[s] = int32(s)
		}
	}
	n := rc.opt.Samples
	diff := make([]float64, n)
	certain := true
	w, x := st.w, st.x
	w.use(wd)
	x.use(wd)
	defer w.use(nil)
	for _, s := range affected {
		seeds := rc.seeds[s]
		before := rc.radius[s]
		if len(before) == 1 {
			w.run(seeds, rc.mode, false)
			d := rc.entry[s]*before[0] - entry[s]*w.summary().Of(rc.opt.Measure)
			for i := range diff {
				diff[i] += d
			}
			continue
		}
		certain = false
		for _, b := range rc.batches {
			x.runBatch(seeds, rc.mode, b)
			for j := range b.n {
				i := int(b.first) + j
				diff[i] += rc.entry[s]*before[i] - entry[s]*x.sums[j].at(rc.opt.Measure)
			}
		}
	}
	var r running
	for _, d := range diff {
		r.add(d)
	}
	if certain {
		return r.mean, Interval{r.mean, r.mean}, rc.before, nil
	}
	return r.mean, r.ci(), rc.before, nil
}

// measureBelow computes, for every node an option of cands acts on, the
// measure of what lies downstream of it in the worst cases (see
// downstream), in parallel.
func (rc *recommender) measureBelow(cands []option) error {
	var need []int32
	for _, c := range cands {
		for _, v := range rc.actsOn(c) {
			if rc.inWorst[v] && rc.below[v] < 0 {
				rc.below[v] = 0 // listed
				need = append(need, v)
			}
		}
	}
	return parallel(rc.opt.Options, len(need), func() *closer { return newCloser(len(rc.g.nodes)) }, func(cl *closer, i int) {
		v := need[i]
		rc.below[v] = rc.measureOf(rc.closure(cl, v))
	})
}

// spared is at least what an option can cut the objective: of each
// compromise it can change, the expected impact, but no more than the
// measure of what lies downstream of where the option acts (see
// downstream), save for the compromise whose own likelihood the option
// lowers, all of whose expected impact it may cut. measureBelow must have
// run for the option.
func (rc *recommender) spared(c option) float64 {
	d, self := rc.downstream(c), rc.selfOf(c)
	total := 0.0
	rc.eachAffected(c, func(s int32) {
		if s == self {
			total += rc.entry[s] * rc.mean[s]
		} else {
			total += rc.entry[s] * min(rc.mean[s], d)
		}
	})
	return total
}

// selfOf returns the compromise whose entry likelihood an option may
// change, or -1: over every node, that of the node given a control, or of
// the provider of a dependency removed.
func (rc *recommender) selfOf(c option) int32 {
	switch {
	case rc.scenario != nil, c.alt != nil:
		return -1
	case c.nc != nil:
		return c.node
	}
	return rc.g.index[rc.g.model.Dependencies[c.mask].To]
}

// downstream is the measure of every node of the worst cases that lies
// downstream of where the option acts, a bound of what it can spare any
// one compromise in any world. measureBelow must have run for the option.
// An option takes effect on the nodes its change leads into (a control:
// its node; an alternative: the consumer; a removal: the nodes the
// dependency's arcs lead into), and a node's effects in a world change
// only if one of its causes changed, so what it spares in any world lies
// downstream of those nodes by some arc of the model, inside the
// compromise's worst case (a world's sets are within it, and the option
// only takes arcs away), which is within the union of them all. The
// measures are subadditive (people over a union is at most the people of
// its parts), so the measure of what is spared is at most that of what
// lies downstream, added up over the nodes the option acts on.
func (rc *recommender) downstream(c option) float64 {
	total := 0.0
	for _, v := range rc.actsOn(c) {
		if !rc.inWorst[v] {
			continue
		}
		total += rc.below[v]
	}
	return total
}

// actsOn returns the nodes an option's change leads into.
func (rc *recommender) actsOn(c option) []int32 {
	g := rc.g
	var heads []int32
	switch {
	case c.nc != nil:
		heads = []int32{c.node}
	case c.alt != nil:
		heads = []int32{g.svcFrom[g.depEdge[c.alt.Dependency]]}
	default:
		heads = rc.headsOf(c.mask)
	}
	return heads
}

// headsOf returns the nodes dependency d's arcs lead into.
func (rc *recommender) headsOf(d int) []int32 {
	g := rc.g
	if rc.depHeads == nil {
		rc.depHeads = make([][]int32, len(g.model.Dependencies))
		for _, c := range []*csr{&g.comp, &g.held, &g.down, &g.expose} {
			for k, dep := range c.dep {
				if dep >= 0 && !slices.Contains(rc.depHeads[dep], c.adj[k]) {
					rc.depHeads[dep] = append(rc.depHeads[dep], c.adj[k])
				}
			}
		}
		for e, dep := range g.svcDep {
			if dep >= 0 && !slices.Contains(rc.depHeads[dep], g.svcFrom[e]) {
				rc.depHeads[dep] = append(rc.depHeads[dep], g.svcFrom[e])
			}
		}
	}
	return rc.depHeads[d]
}

// closure returns v and every node of the worst cases downstream of it,
// by any arc of the model: compromise (held by a control or not),
// outage, exposure, a service from its provider or an alternative, and
// an alternative the changes so far added. The slice is cl's, valid until
// its next use.
func (rc *recommender) closure(cl *closer, v int32) []int32 {
	g := rc.g
	cl.stamp++
	if cl.stamp == 0 {
		clear(cl.seen)
		cl.stamp = 1
	}
	cl.q = append(cl.q[:0], v)
	cl.seen[v] = cl.stamp
	visit := func(u int32) {
		if rc.inWorst[u] && cl.seen[u] != cl.stamp {
			cl.seen[u] = cl.stamp
			cl.q = append(cl.q, u)
		}
	}
	for i := 0; i < len(cl.q); i++ {
		u := cl.q[i]
		for _, c := range []*csr{&g.comp, &g.held, &g.down, &g.expose} {
			for _, x := range c.of(u) {
				visit(x)
			}
		}
		for _, e := range g.svc.of(u) {
			visit(g.svcFrom[e])
		}
		for _, e := range g.watch.of(u) {
			visit(g.svcFrom[e])
		}
		for _, a := range rc.base.alts {
			if a.v == u {
				visit(g.svcFrom[a.e])
			}
		}
	}
	return cl.q
}

// closer is the workspace of closure.
type closer struct {
	seen  []uint32
	stamp uint32
	q     []int32
}

func newCloser(n int) *closer { return &closer{seen: make([]uint32, n)} }

// measureOf is at least the measure of any radius within nodes: people
// and patients as a summary counts them, and for a count, every node.
func (rc *recommender) measureOf(nodes []int32) float64 {
	g := rc.g
	switch rc.opt.Measure {
	case MeasurePeople:
		h := g.pop.counter()
		for _, v := range nodes {
			if g.orgs[v] {
				h.add(v)
			}
		}
		return float64(h.total())
	case MeasurePatients:
		var n int64
		for _, v := range nodes {
			if g.orgs[v] {
				n += g.patients[v]
			}
		}
		return float64(n)
	}
	return float64(len(nodes))
}
