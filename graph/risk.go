package graph

import (
	"cmp"
	"math"
	"slices"

	"github.com/blastradius/blastradius/model"
	"gonum.org/v1/gonum/graph/simple"
)

// RiskOptions say how many worlds a risk analysis draws and how it runs.
type RiskOptions struct {
	Options
	// Samples is the number of worlds; 0 means DefaultRiskSamples.
	Samples int
	// Seed chooses the worlds: the same seed gives the same answer.
	Seed uint64
}

// DefaultRiskSamples is the number of worlds a risk analysis draws by
// default: it runs every node as the seed in every world.
const DefaultRiskSamples = 1000

// Risk ranks every node by the organisations that attacks starting there
// affect in a year, on average: its entry likelihood times its expected
// radius.
type Risk struct {
	Model   string      `json:"model"`
	Mode    model.Mode  `json:"mode"`
	Samples int         `json:"samples"`
	Seed    uint64      `json:"seed"`
	Ranking []RiskEntry `json:"ranking"`
}

// RiskEntry is one node's risk, beside its worst-case figures (the Summary
// of Reach from it alone, as Rank gives them).
type RiskEntry struct {
	RankEntry
	// Entry is the chance that an attack starts at the node in a year: the
	// file's, or the documented default (EntryAssumed).
	Entry        float64 `json:"entry"`
	EntryAssumed bool    `json:"entry_assumed"`
	// Expected is, by sampled measure (Sampled), Entry times its mean over
	// the worlds, with its 95% interval. JSON writes each as
	// expected_KEY and expected_KEY_ci.
	Expected []Expectation `json:"-"`
	// Certain says no uncertain dependency can change the node's radius:
	// its expectation is exact.
	Certain bool `json:"certain"`
}

// Expectation is an expected figure a year, with its 95% interval.
type Expectation struct {
	Mean float64
	CI   Interval
}

// ExpectedOf returns the expectation of a sampled measure.
func (e *RiskEntry) ExpectedOf(m Measure) Expectation {
	for i, x := range Sampled() {
		if x == m && i < len(e.Expected) {
			return e.Expected[i]
		}
	}
	return Expectation{}
}

// MarshalJSON writes the expectations under their measures' keys, before
// certain.
func (e RiskEntry) MarshalJSON() ([]byte, error) {
	head, err := marshal(struct {
		RankEntry
		Entry        float64 `json:"entry"`
		EntryAssumed bool    `json:"entry_assumed"`
	}{e.RankEntry, e.Entry, e.EntryAssumed})
	if err != nil {
		return nil, err
	}
	var ms []member
	for i, m := range Sampled() {
		if i < len(e.Expected) {
			ms = append(ms, member{"expected_" + m.Info().Key, e.Expected[i].Mean}, member{"expected_" + m.Info().Key + "_ci", e.Expected[i].CI})
		}
	}
	return extend(head, ms, member{"certain", e.Certain})
}

// Entries returns every node's entry likelihood under r (whose controls
// change the defaults), by index, and whether each is assumed.
func (g *Graph) Entries(r *Run) ([]float64, []bool, error) {
	if _, err := g.compile(r); err != nil {
		return nil, nil, err
	}
	return g.entries(r)
}

func (g *Graph) entries(r *Run) ([]float64, []bool, error) {
	// A provider that is a way into a consumer is worth more to an
	// attacker: the declaration says which relations are (OpensWayIn).
	wayIn := make([]bool, len(g.nodes))
	masked := map[int]bool{}
	if r != nil {
		for _, d := range r.Mask {
			masked[d] = true
		}
	}
	for d, dep := range g.model.Dependencies {
		if info := dep.Type.Info(); info != nil && info.OpensWayIn() && !masked[d] {
			wayIn[g.index[dep.To]] = true
		}
	}
	var add, drop map[int32][]string
	if r != nil {
		add, drop = map[int32][]string{}, map[int32][]string{}
		for _, nc := range r.AddControls {
			add[g.index[nc.ID]] = append(add[g.index[nc.ID]], nc.Control)
		}
		for _, nc := range r.RemoveControls {
			drop[g.index[nc.ID]] = append(drop[g.index[nc.ID]], nc.Control)
		}
	}
	out := make([]float64, len(g.nodes))
	assumed := make([]bool, len(g.nodes))
	for v, n := range g.nodes {
		assumed[v] = n.Entry == nil
		if len(add[int32(v)]) > 0 || len(drop[int32(v)]) > 0 {
			c := *n
			c.Controls = nil
			for _, x := range n.Controls {
				if !slices.Contains(drop[int32(v)], x) || slices.Contains(add[int32(v)], x) {
					c.Controls = append(c.Controls, x)
				}
			}
			for _, x := range add[int32(v)] {
				if !slices.Contains(c.Controls, x) {
					c.Controls = append(c.Controls, x)
				}
			}
			n = &c
		}
		out[v] = model.EntryOf(n, wayIn[v])
		if n.Entry != nil {
			// A given entry already counts the node's own controls: scale
			// it by those the run adds or takes away.
			for _, x := range add[int32(v)] {
				if e, ok := model.ControlEffectOf(x); ok && !g.nodes[v].Has(x) {
					out[v] *= e.Entry
				}
			}
			for _, x := range drop[int32(v)] {
				if e, ok := model.ControlEffectOf(x); ok && g.nodes[v].Has(x) && !slices.Contains(add[int32(v)], x) {
					out[v] = min(1, out[v]/e.Entry)
				}
			}
		}
	}
	return out, assumed, nil
}

// uncertainEnds marks, by node, those that are the provider (either end,
// for a link) of a dependency with a likelihood below 1: a radius that
// touches none of them is the same in every world.
func (g *Graph) uncertainEnds(like []float64) []bool {
	out := make([]bool, len(g.nodes))
	for d, dep := range g.model.Dependencies {
		if like[d] >= 1 {
			continue
		}
		out[g.index[dep.To]] = true
		if dep.Type.BothWays() {
			out[g.index[dep.From]] = true
		}
	}
	return out
}

// certain reports whether the workspace's last run touched no node that
// an uncertain dependency starts from.
func (w *workspace) certain(ends []bool) bool {
	for _, v := range w.touched {
		if w.bits[v] != 0 && ends[v] {
			return false
		}
	}
	return true
}

// RankRisk ranks every node by its expected organisations affected a year:
// entry likelihood times the mean radius of compromising it alone, over
// the same worlds for every node. r, if not nil, adds what-if changes. A
// node whose radius touches no uncertain dependency costs one analysis; the
// others cost one a world.
func (g *Graph) RankRisk(mode model.Mode, r *Run, opt RiskOptions) (*Risk, error) {
	mode, err := checkMode(mode)
	if err != nil {
		return nil, err
	}
	if opt.Samples, err = sampleCount(opt.Samples, DefaultRiskSamples); err != nil {
		return nil, err
	}
	base, err := g.sampledWorld(r)
	if err != nil {
		return nil, err
	}
	entry, assumed, err := g.entries(r)
	if err != nil {
		return nil, err
	}
	like := g.likelihoods()
	ends := g.uncertainEnds(like)
	dr := newDraws(opt.Seed, like)
	out := &Risk{Model: g.model.Name, Mode: mode, Samples: opt.Samples, Seed: opt.Seed, Ranking: make([]RiskEntry, len(g.nodes))}
	// Seeds that reach each other by compromise arcs that hold in every
	// world compromise the same nodes in every world: one analysis each.
	reps, member := g.certainComponents(like, base)
	sampled := Sampled()
	type radius struct {
		worst   Summary
		certain bool
		means   []running // by sampled measure
	}
	radii := make([]radius, len(reps))
	// First every component's worst case, which says whether any world
	// can differ; then, 64 worlds at a time, the components whose worlds
	// do, each batch's draws made once for all of them.
	progress := opt.Progress
	var uncertain []int
	batches := (opt.Samples + wordWorlds - 1) / wordWorlds
	report := func(o Options, from func() (int, int)) Options {
		if progress != nil {
			o.Progress = func(d, _ int) {
				done, total := from()
				progress(done+d, total)
			}
		}
		return o
	}
	o := report(opt.Options, func() (int, int) { return 0, len(reps) * (1 + batches) })
	err = parallel(o, len(reps), func() *workspace {
		w := newWorkspace(g)
		w.use(base)
		return w
	}, func(w *workspace, c int) {
		w.run(reps[c:c+1], mode, false)
		r := &radii[c]
		r.worst = w.summary()
		r.certain = w.certain(ends)
	})
	if err != nil {
		return nil, err
	}
	for c := range radii {
		if !radii[c].certain {
			uncertain = append(uncertain, c)
			radii[c].means = make([]running, len(sampled))
		}
	}
	for b := range batches {
		if len(uncertain) == 0 {
			break
		}
		bd, err := dr.batch(opt.Options, uint64(b*wordWorlds), min(wordWorlds, opt.Samples-b*wordWorlds))
		if err != nil {
			return nil, err
		}
		o := report(opt.Options, func() (int, int) {
			return len(reps) + b*len(uncertain), len(reps) + batches*len(uncertain)
		})
		err = parallel(o, len(uncertain), func() *wide {
			x := newWide(g, dr)
			x.use(base)
			return x
		}, func(x *wide, k int) {
			c := uncertain[k]
			x.runBatch(reps[c:c+1], mode, bd)
			r := &radii[c]
			for j := range bd.n {
				for m, ms := range sampled {
					r.means[m].add(x.sums[j].at(ms))
				}
			}
		})
		if err != nil {
			return nil, err
		}
	}
	for v, n := range g.nodes {
		r := &radii[member[v]]
		e := RiskEntry{RankEntry: RankEntry{ID: n.ID, Name: n.Name, Kind: n.Kind, Class: n.Class, Summary: r.worst}, Entry: entry[v], EntryAssumed: assumed[v], Certain: r.certain}
		e.Expected = make([]Expectation, len(sampled))
		for k, m := range sampled {
			if r.certain {
				x := entry[v] * r.worst.Of(m)
				e.Expected[k] = Expectation{x, Interval{x, x}}
			} else {
				e.Expected[k].Mean, e.Expected[k].CI = r.means[k].scaled(entry[v])
			}
		}
		out.Ranking[v] = e
	}
	// Worst first, by each sampled measure in turn, then by id.
	slices.SortStableFunc(out.Ranking, func(a, b RiskEntry) int {
		for k, m := range sampled {
			c := cmp.Compare(b.Expected[k].Mean, a.Expected[k].Mean)
			if !m.Info().Worse {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// running is a mean and variance kept as values arrive (Welford's
// method), in a fixed order so that the result is the same on every run.
type running struct {
	n       int
	mean, m float64
}

func (r *running) add(x float64) {
	r.n++
	d := x - r.mean
	r.mean += d / float64(r.n)
	r.m += d * (x - r.mean)
}

// ci is the 95% normal-approximation interval of the mean, with the sample
// standard deviation.
func (r *running) ci() Interval {
	if r.n < 2 {
		return Interval{r.mean, r.mean}
	}
	half := z95 * math.Sqrt(max(0, r.m/float64(r.n-1))/float64(r.n))
	return Interval{r.mean - half, r.mean + half}
}

// scaled is k times the mean, with k times its interval.
func (r *running) scaled(k float64) (float64, Interval) {
	iv := r.ci().atLeastZero() // expected counts
	return k * r.mean, Interval{k * iv[0], k * iv[1]}
}

// certainComponents finds, with gonum's Tarjan algorithm, the strongly
// connected components of the compromise arcs that hold in every world
// under wd: operators, and dependencies of likelihood 1 that wd neither
// masks nor stops. Seeds of one component reach each other in every world,
// so they compromise the same nodes there. It returns one representative
// per component (its smallest index) and every node's component.
func (g *Graph) certainComponents(like []float64, wd *world) (reps []int32, member []int32) {
	stops := map[int32]uint8{}
	for _, x := range wd.add {
		stops[x.v] |= x.bits
	}
	sg := simple.NewDirectedGraph()
	for i := range g.nodes {
		sg.AddNode(simple.Node(i))
	}
	c := &g.comp
	for u := range g.nodes {
		for k := c.off[u]; k < c.off[u+1]; k++ {
			v, d := c.adj[k], c.dep[k]
			if d >= 0 && (like[d] < 1 || wd.dead != nil && wd.dead.Has(int(d))) || stops[v]&stopBit[c.rel[k]] != 0 {
				continue
			}
			if int(v) != u && !sg.HasEdgeFromTo(int64(u), int64(v)) {
				sg.SetEdge(simple.Edge{F: simple.Node(u), T: simple.Node(v)})
			}
		}
	}
	return components(sg, len(g.nodes))
}
