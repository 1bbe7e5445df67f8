package graph

import (
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/blastradius/blastradius/model"
)

// A world of a Monte Carlo analysis is the model with each dependency live
// with its likelihood, independently: a network link is one dependency for
// both ways, and an operator always holds. Inside a world the rules of Reach
// are unchanged.
//
// Whether dependency d is live in world i under seed s is a pure function of
// (s, i, d): a 64-bit hash compared with the likelihood. Nothing is drawn
// ahead, so a world costs only the dependencies its analysis looks at; the
// answer does not depend on the number of workers, nor on the order in
// which dependencies are looked at; and every seed of a ranking and every
// candidate change of a recommendation sees the same worlds (common random
// numbers), so that their differences are precise.

// draws decides which dependencies hold in each world.
type draws struct {
	seed uint64
	// thr is by dependency the bound below which the top 32 bits of its
	// hash make it live; ^0 means always.
	thr []uint32
	// slot, in exact enumeration, is by dependency its bit in the world
	// number, or -1 for one that always holds; nil when sampling.
	slot []int8
}

// world returns the key of world number i, which live reads: its number
// when enumerating, else a hash of the seed and the number, computed once
// a world.
func (d *draws) world(i uint64) uint64 {
	if d.slot != nil {
		return i
	}
	return mix64(d.seed*0x9e3779b97f4a7c15 + i)
}

// live reports whether dependency dep holds in the world whose key is key.
func (d *draws) live(key uint64, dep int32) bool {
	if d.slot != nil {
		s := d.slot[dep]
		return s < 0 || key>>uint(s)&1 == 1
	}
	t := d.thr[dep]
	if t == math.MaxUint32 {
		return true
	}
	return uint32(depHash(key, uint64(dep))>>32) < t
}

// mix64 is the finaliser of SplitMix64: a bijection that spreads every bit.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// depHash is the uniform 64-bit number that decides dependency dep in the
// world whose key is key: so a dependency's state is a pure function of
// (seed, world number, dependency).
func depHash(key, dep uint64) uint64 {
	return mix64(key ^ (dep+1)*depMul)
}

// depMul spreads a dependency's number in depHash.
const depMul = 0xc2b2ae3d27d4eb4f

// threshold turns a likelihood into the bound the hash's top 32 bits must
// be below: the chance is the likelihood rounded to a multiple of 2^-32.
func threshold(p float64) uint32 {
	switch {
	case p >= 1 || math.IsNaN(p):
		return math.MaxUint32
	case p <= 0:
		return 0
	}
	return uint32(min(p*0x1p32, math.MaxUint32-1))
}

// likelihoods returns the likelihood of every dependency, by index.
func (g *Graph) likelihoods() []float64 {
	out := make([]float64, len(g.model.Dependencies))
	for i, d := range g.model.Dependencies {
		out[i] = d.Likelihood
	}
	return out
}

func newDraws(seed uint64, like []float64) *draws {
	d := &draws{seed: seed, thr: make([]uint32, len(like))}
	for i, p := range like {
		d.thr[i] = threshold(p)
	}
	return d
}

// SimulateOptions say how many worlds Simulate draws and how it runs.
type SimulateOptions struct {
	Options
	// Samples is the number of worlds, or the most with Precision;
	// 0 means DefaultSamples.
	Samples int
	// Seed chooses the worlds: the same seed gives the same answer.
	Seed uint64
	// Precision, if above 0, stops at the first batch of BatchSize worlds
	// after which every probability's 95% interval is narrower than
	// ±Precision.
	Precision float64
	// Exact enumerates every world of the uncertain dependencies that
	// matter (at most MaxExact of them) instead of sampling.
	Exact bool
}

const (
	// DefaultSamples is the number of worlds Simulate draws by default.
	DefaultSamples = 10_000
	// BatchSize is how many worlds Simulate draws between two checks of
	// Precision, whatever the number of workers.
	BatchSize = 1000
	// MaxExact is how many uncertain dependencies Exact enumerates at most.
	MaxExact = 20
	// z95 is the normal quantile of a two-sided 95% interval.
	z95 = 1.959963984540054
)

// TooUncertainError is returned by an exact simulation with more uncertain
// dependencies that matter than MaxExact.
type TooUncertainError struct{ Count, Max int }

func (e *TooUncertainError) Error() string {
	return fmt.Sprintf("%d uncertain dependencies matter to this compromise; exact enumeration handles at most %d, or %d worlds", e.Count, e.Max, 1<<e.Max)
}

// Simulation is what Simulate found: the chance of each effect on each node
// that the compromise can reach, and the distribution of the radius.
type Simulation struct {
	Model string     `json:"model"`
	Seeds []string   `json:"seeds"`
	Mode  model.Mode `json:"mode"`
	// Samples is the number of worlds drawn, or enumerated with Exact.
	Samples int    `json:"samples"`
	Seed    uint64 `json:"seed"`
	Exact   bool   `json:"exact"`
	// Uncertain counts the dependencies with a likelihood below 1 that can
	// matter: their provider (either end, for a link) is affected when
	// every dependency holds.
	Uncertain int `json:"uncertain"`
	// Nodes are those the compromise reaches when every dependency holds
	// (every other node is affected with probability 0), most likely
	// first, then by id.
	Nodes []SimNode `json:"nodes"`
	// Radius is the distribution of each sampled measure (Sampled), in
	// that order; JSON writes each under the measure's key.
	Radius []Distribution `json:"-"`
}

// Of returns the distribution of a sampled measure.
func (s *Simulation) Of(m Measure) Distribution {
	for i, x := range Sampled() {
		if x == m && i < len(s.Radius) {
			return s.Radius[i]
		}
	}
	return Distribution{}
}

// MarshalJSON writes the distributions under their measures' keys. A
// type that embeds a Simulation inherits it, and so must write its own
// fields with it.
func (s Simulation) MarshalJSON() ([]byte, error) {
	type plain Simulation
	head, err := marshal(plain(s))
	if err != nil {
		return nil, err
	}
	var ms []member
	for i, m := range Sampled() {
		if i < len(s.Radius) {
			ms = append(ms, member{m.Info().Key, s.Radius[i]})
		}
	}
	return extend(head, ms)
}

// SimNode is the chance that one node is affected, and of each effect,
// each with its 95% interval (Wilson's; a point when exact).
type SimNode struct {
	ID         string        `json:"id"`
	Name       string        `json:"name"`
	Kind       string        `json:"kind"`
	Class      model.Class   `json:"class"`
	Affected   float64       `json:"affected"`
	AffectedCI Interval      `json:"affected_ci"`
	Effects    EffectChances `json:"effects"`
	EffectsCI  EffectCIs     `json:"effects_ci"`
}

// Interval is a 95% interval [low, high].
type Interval [2]float64

// atLeastZero is the interval of a quantity that cannot be negative (a
// count, or an expected count): the normal approximation's low end, which
// can fall below 0 when the count is rarely above it, is raised to 0.
func (iv Interval) atLeastZero() Interval { return Interval{max(0, iv[0]), iv[1]} }

// HalfWidth is half the interval's width.
func (iv Interval) HalfWidth() float64 { return (iv[1] - iv[0]) / 2 }

// EffectChances is the chance of each effect.
type EffectChances struct {
	Compromised float64 `json:"compromised"`
	Disrupted   float64 `json:"disrupted"`
	Degraded    float64 `json:"degraded"`
	Exposed     float64 `json:"exposed"`
}

// EffectCIs is the 95% interval of each effect's chance.
type EffectCIs struct {
	Compromised Interval `json:"compromised"`
	Disrupted   Interval `json:"disrupted"`
	Degraded    Interval `json:"degraded"`
	Exposed     Interval `json:"exposed"`
}

// Distribution describes a count over the worlds: its mean with a 95%
// interval (the normal approximation with the sample standard deviation;
// a point when exact), its median, 90th percentile and maximum.
type Distribution struct {
	Mean   float64  `json:"mean"`
	MeanCI Interval `json:"mean_ci"`
	P50    float64  `json:"p50"`
	P90    float64  `json:"p90"`
	Max    float64  `json:"max"`
}

// Wilson returns the 95% Wilson score interval of k successes in n trials.
func Wilson(k, n float64) Interval {
	if n <= 0 {
		return Interval{0, 1}
	}
	p := k / n
	z2 := z95 * z95
	den := 1 + z2/n
	centre := (p + z2/(2*n)) / den
	half := z95 / den * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	return Interval{max(0, centre-half), min(1, centre+half)}
}

// Simulate estimates, over worlds in which each dependency holds with its
// likelihood, the chance that compromising the seeds affects each node, and
// the distribution of the radius. r, if not nil, adds what-if changes to
// every world. With every likelihood 1 every chance is 0 or 1 and the
// affected nodes are Reach's.
func (g *Graph) Simulate(seeds []string, mode model.Mode, r *Run, opt SimulateOptions) (*Simulation, error) {
	return g.simulate(seeds, mode, r, opt, g.likelihoods())
}

// simulate is Simulate with the likelihoods given, so that tests can bias
// them.
func (g *Graph) simulate(seeds []string, mode model.Mode, r *Run, opt SimulateOptions, like []float64) (*Simulation, error) {
	mode, err := checkMode(mode)
	if err != nil {
		return nil, err
	}
	idx, err := g.resolve(seeds)
	if err != nil {
		return nil, err
	}
	base, err := g.sampledWorld(r)
	if err != nil {
		return nil, err
	}
	if opt.Samples, err = sampleCount(opt.Samples, DefaultSamples); err != nil {
		return nil, err
	}
	s := &sim{g: g, seeds: idx, mode: mode, base: base}
	s.worstCase()
	matter := s.uncertain(like)
	out := &Simulation{Model: g.model.Name, Mode: mode, Seed: opt.Seed, Exact: opt.Exact, Uncertain: len(matter)}
	for _, v := range idx {
		out.Seeds = append(out.Seeds, g.nodes[v].ID)
	}
	if opt.Exact {
		if len(matter) > MaxExact {
			return nil, &TooUncertainError{Count: len(matter), Max: MaxExact}
		}
		dr := &draws{slot: make([]int8, len(g.model.Dependencies))}
		for i := range dr.slot {
			dr.slot[i] = -1
		}
		s.weight = make([]float64, 1<<len(matter))
		for i := range s.weight {
			w := 1.0
			for b, d := range matter {
				if i>>b&1 == 1 {
					w *= like[d]
				} else {
					w *= 1 - like[d]
				}
			}
			s.weight[i] = w
		}
		for b, d := range matter {
			dr.slot[d] = int8(b)
		}
		s.dr = dr
		o := opt.Options
		if o.Progress != nil {
			n, size := len(s.weight), chunkSize(len(s.weight))
			o.Progress = func(d, _ int) { opt.Progress(min(n, d*size), n) }
		}
		if err := s.worlds(o, 0, len(s.weight)); err != nil {
			return nil, err
		}
		out.Samples = len(s.weight)
	} else {
		s.dr = newDraws(opt.Seed, like)
		done := 0
		for done < opt.Samples {
			n := min(BatchSize, opt.Samples-done)
			o := opt.Options
			if o.Progress != nil {
				// parallel counts chunks of this batch; report worlds of
				// the whole run.
				total, from, size := opt.Samples, done, chunkSize(n)
				o.Progress = func(d, _ int) { opt.Progress(from+min(n, d*size), total) }
			}
			if err := s.worlds(o, done, n); err != nil {
				return nil, err
			}
			done += n
			if opt.Precision > 0 && s.precise(done, opt.Precision) {
				break
			}
		}
		out.Samples = done
	}
	s.result(out)
	return out, nil
}

// sim is one simulation under way.
type sim struct {
	g      *Graph
	seeds  []int32
	mode   model.Mode
	base   *world
	dr     *draws
	nodes  []int32 // the worst case's affected nodes, in index order
	bits   []uint8 // their effects in the worst case
	pos    []int32 // by node: its place in nodes, or -1
	weight []float64
	// acc holds, by place in nodes, five sums: affected, compromised,
	// disrupted, degraded, exposed (of weights when exact, else counts).
	acc []float64
	// radius is, by sampled measure (Sampled), its figure in each world.
	radius [][]float64
}

const nSums = 5

// worstCase runs the compromise with every dependency holding.
func (s *sim) worstCase() {
	g := s.g
	w := newWorkspace(g)
	w.use(s.base)
	w.run(s.seeds, s.mode, false)
	s.pos = make([]int32, len(g.nodes))
	for i := range s.pos {
		s.pos[i] = -1
	}
	for _, v := range w.touched {
		if w.bits[v] != 0 {
			s.nodes = append(s.nodes, v)
		}
	}
	slices.Sort(s.nodes)
	for i, v := range s.nodes {
		s.pos[v] = int32(i)
		s.bits = append(s.bits, w.bits[v])
	}
}

// uncertain returns, in index order, the dependencies with a likelihood
// below 1 whose state can change the answer: not masked, and with their
// provider (either end, for a relation that carries both ways) affected in
// the worst case. No other can: a dependency carries effects from its
// provider only, and a world's sets are within the worst case's.
func (s *sim) uncertain(like []float64) []int {
	var out []int
	g := s.g
	for d, dep := range g.model.Dependencies {
		if like[d] >= 1 || s.base.dead != nil && s.base.dead.Has(d) {
			continue
		}
		hit := s.pos[g.index[dep.To]] >= 0
		if relations[model.RelationIndex(dep.Type)].BothWays {
			hit = hit || s.pos[g.index[dep.From]] >= 0
		}
		if hit {
			out = append(out, d)
		}
	}
	return out
}

// chunkSize is how many consecutive worlds one worker adds up alone, out
// of n: sums are made chunk by chunk and chunks added in order, so that the
// result does not depend on the workers. At most 256 chunks keep memory in
// bounds when an exact enumeration has a million worlds.
func chunkSize(n int) int { return max(64, (n+255)/256) }

// worlds runs worlds [from, from+n) and adds them to the sums.
func (s *sim) worlds(opt Options, from, n int) error {
	m := len(s.nodes)
	if s.acc == nil {
		s.acc = make([]float64, m*nSums)
	}
	sampled := Sampled()
	if s.radius == nil {
		s.radius = make([][]float64, len(sampled))
	}
	for k := range s.radius {
		s.radius[k] = slices.Grow(s.radius[k], n)[:from+n]
	}
	size := chunkSize(n)
	chunks := (n + size - 1) / size
	part := make([][]float64, chunks)
	err := parallel(opt, chunks, func() *wide {
		x := newWide(s.g, s.dr)
		x.use(s.base)
		return x
	}, func(x *wide, c int) {
		acc := make([]float64, m*nSums)
		lo, hi := from+c*size, min(from+n, from+(c+1)*size)
		for i := lo; i < hi; i += wordWorlds {
			k := min(wordWorlds, hi-i)
			x.run(s.seeds, s.mode, uint64(i), k)
			s.add(x, acc, i)
			for j := range k {
				for r, m := range sampled {
					s.radius[r][i+j] = x.sums[j].at(m)
				}
			}
		}
		part[c] = acc
	})
	if err != nil {
		return err
	}
	for _, acc := range part {
		for i, x := range acc {
			s.acc[i] += x
		}
	}
	return nil
}

// add adds the effects of the wide run's worlds, the first of which is
// world number first, to the sums: counts when sampling, and when exact
// each world's weight, added world after world as one run at a time would.
func (s *sim) add(x *wide, acc []float64, first int) {
	for _, v := range x.touched {
		k := s.pos[v]
		c, d := x.c[v], x.d[v]
		any := c | d | x.deg[v] | x.exp[v]
		if any == 0 || k < 0 {
			continue
		}
		a := acc[int(k)*nSums : int(k)*nSums+nSums]
		words := [nSums]uint64{any, c, d &^ c, x.deg[v], x.exp[v]}
		for j, w := range words {
			if s.weight == nil {
				a[j] += float64(bits.OnesCount64(w))
				continue
			}
			each(w, func(i int) { a[j] += s.weight[first+i] })
		}
	}
}

// precise reports whether every chance's interval after n worlds is
// narrower than ±e.
func (s *sim) precise(n int, e float64) bool {
	for _, k := range s.acc {
		if Wilson(k, float64(n)).HalfWidth() >= e {
			return false
		}
	}
	return true
}

// result fills in the nodes and the distributions.
func (s *sim) result(out *Simulation) {
	g := s.g
	n := float64(len(s.radius[0]))
	chance := func(k float64) (float64, Interval) {
		if s.weight != nil {
			p := min(1, max(0, k))
			return p, Interval{p, p}
		}
		return k / n, Wilson(k, n)
	}
	out.Nodes = make([]SimNode, len(s.nodes))
	for i, v := range s.nodes {
		nd := g.nodes[v]
		a := s.acc[i*nSums : i*nSums+nSums]
		sn := SimNode{ID: nd.ID, Name: nd.Name, Kind: nd.Kind, Class: nd.Class}
		sn.Affected, sn.AffectedCI = chance(a[0])
		sn.Effects.Compromised, sn.EffectsCI.Compromised = chance(a[1])
		sn.Effects.Disrupted, sn.EffectsCI.Disrupted = chance(a[2])
		sn.Effects.Degraded, sn.EffectsCI.Degraded = chance(a[3])
		sn.Effects.Exposed, sn.EffectsCI.Exposed = chance(a[4])
		out.Nodes[i] = sn
	}
	slices.SortStableFunc(out.Nodes, func(a, b SimNode) int {
		switch {
		case a.Affected > b.Affected:
			return -1
		case a.Affected < b.Affected:
			return 1
		}
		return 0 // stable: id order
	})
	out.Radius = make([]Distribution, len(s.radius))
	for k, x := range s.radius {
		out.Radius[k] = distribution(x, s.weight)
	}
}

// distribution describes values, each of weight 1 (sampled) or of its
// weight (exact).
func distribution(x, weight []float64) Distribution {
	var d Distribution
	if len(x) == 0 {
		return d
	}
	type pt struct{ x, w float64 }
	pts := make([]pt, len(x))
	total := 0.0
	for i := range x {
		w := 1.0
		if weight != nil {
			w = weight[i]
		}
		pts[i] = pt{x[i], w}
		total += w
		d.Mean += w * x[i]
	}
	d.Mean /= total
	if weight != nil {
		d.MeanCI = Interval{d.Mean, d.Mean}
	} else {
		d.MeanCI = meanCI(x, d.Mean)
	}
	slices.SortStableFunc(pts, func(a, b pt) int {
		switch {
		case a.x < b.x:
			return -1
		case a.x > b.x:
			return 1
		}
		return 0
	})
	quantile := func(q float64) float64 {
		c := 0.0
		for _, p := range pts {
			c += p.w
			if c >= q*total*(1-1e-12) {
				return p.x
			}
		}
		return pts[len(pts)-1].x
	}
	d.P50, d.P90 = quantile(0.5), quantile(0.9)
	for i := len(pts) - 1; i >= 0; i-- {
		if pts[i].w > 0 {
			d.Max = pts[i].x
			break
		}
	}
	return d
}

// meanCI is the normal-approximation 95% interval of the mean of x, with
// the sample standard deviation.
func meanCI(x []float64, mean float64) Interval {
	n := float64(len(x))
	if n < 2 {
		return Interval{mean, mean}
	}
	ss := 0.0
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	half := z95 * math.Sqrt(ss/(n-1)/n)
	return Interval{mean - half, mean + half}.atLeastZero() // x are counts
}
