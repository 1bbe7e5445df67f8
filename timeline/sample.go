package timeline

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// Samples describe the timeline over worlds drawn as graph.Simulate draws
// them: in world i under a seed each dependency holds with its
// likelihood, and each compromised node's recovery is drawn from the
// triangular distribution of its min, likely and max (a restore schedule
// is kept as it is). A world is a pure function of (seed, i), so the
// answer is the same whatever the number of workers.
type Samples struct {
	Samples int    `json:"samples"`
	Seed    uint64 `json:"seed"`
	// Horizon is the most days a world runs: the horizon asked for, or
	// MaxHorizon.
	Horizon int `json:"horizon"`
	// Back is the day every node is back to 1; NotBack counts the worlds
	// in which that is beyond the horizon.
	Back            Quantiles            `json:"back"`
	NotBack         int                  `json:"not_back"`
	ServiceDaysLost Quantiles            `json:"service_days_lost"`
	ActivityLost    map[string]Quantiles `json:"activity_lost"`
}

// Quantiles are the median and 90th percentile of a quantity over the
// worlds, each with a distribution-free 95% interval (from the order
// statistics of the binomial). A day beyond the horizon is null.
type Quantiles struct {
	P50   Days    `json:"p50"`
	P50CI [2]Days `json:"p50_ci"`
	P90   Days    `json:"p90"`
	P90CI [2]Days `json:"p90_ci"`
}

// Days is a number that is +Inf beyond the horizon, written null.
type Days float64

// MarshalJSON writes null for +Inf.
func (d Days) MarshalJSON() ([]byte, error) {
	if math.IsInf(float64(d), 1) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(d))
}

// SampleOptions say how many worlds to draw, and how.
type SampleOptions struct {
	graph.Options
	Samples int
	Seed    uint64
}

const z95 = 1.959963984540054

// Sample draws the worlds and adds Samples to tl, which Compute made from
// the same graph and seeds.
func (tl *Timeline) Sample(opt SampleOptions) error {
	if opt.Samples < 1 {
		return fmt.Errorf("samples: %d: draw at least one world", opt.Samples)
	}
	g := tl.g
	idx, err := g.Resolve(tl.Seeds)
	if err != nil {
		return err
	}
	horizon := tl.asked // 0: each world runs until it is back
	worlds := g.Worlds(opt.Seed)
	units := tl.Units()
	type world struct {
		back, sdl float64
		act       []float64
	}
	out := make([]world, opt.Samples)
	// With every likelihood 1, every world has the same nodes and links:
	// each worker collects them once, and a world only draws recoveries.
	certain := true
	for _, d := range g.Model().Dependencies {
		certain = certain && d.Likelihood >= 1
	}
	type state struct {
		e         *engine
		collected bool
	}
	err = graph.Parallel(opt.Options, opt.Samples, func() *state { return &state{e: newEngine(g)} }, func(st *state, i int) {
		e := st.e
		key := worlds.Key(i)
		if !certain || !st.collected {
			e.collect(idx, tl.Mode, worlds, key)
			st.collected = true
		}
		for p, c := range e.comp {
			if !c {
				continue
			}
			v := e.nodes[p]
			e.curve[p] = curveOf(g.Node(v))
			if r := g.Node(v).Recovery; r != nil && len(g.Node(v).Restore) == 0 {
				f := model.RecoveryFactor(g.Node(v))
				e.curve[p].days = triangular(worlds.Uniform(key, uint64(v)), r.Min*f, r.Likely*f, r.Max*f)
			}
		}
		e.run(horizon)
		w := world{back: math.Inf(1), act: make([]float64, len(units))}
		if e.lastShort+1 < e.days {
			w.back = float64(e.lastShort + 1)
		}
		for p, v := range e.nodes {
			if !g.IsOrganisation(v) {
				continue
			}
			s := e.lost[p]
			w.sdl += s
			for _, a := range g.Node(v).Activity {
				if k, ok := slices.BinarySearch(units, a.Unit); ok {
					w.act[k] += a.PerDay * s
				}
			}
		}
		out[i] = w
	})
	if err != nil {
		return err
	}
	s := &Samples{Samples: opt.Samples, Seed: opt.Seed, Horizon: horizon, ActivityLost: map[string]Quantiles{}}
	if horizon == 0 {
		s.Horizon = MaxHorizon
	}
	col := make([]float64, len(out))
	for i, w := range out {
		col[i] = w.back
		if math.IsInf(w.back, 1) {
			s.NotBack++
		}
	}
	s.Back = quantiles(col)
	for i, w := range out {
		col[i] = w.sdl
	}
	s.ServiceDaysLost = quantiles(col)
	for k, u := range units {
		for i, w := range out {
			col[i] = w.act[k]
		}
		s.ActivityLost[u] = quantiles(col)
	}
	tl.Samples = s
	return nil
}

// quantiles sorts x and returns its median and 90th percentile (the
// nearest rank) with their 95% intervals: the ranks n·q ± z·√(n·q·(1−q)).
func quantiles(x []float64) Quantiles {
	slices.Sort(x)
	n := float64(len(x))
	at := func(r float64) Days {
		k := int(math.Max(0, math.Min(n-1, r)))
		return Days(x[k])
	}
	one := func(q float64) (Days, [2]Days) {
		rank := math.Ceil(n*q) - 1
		half := z95 * math.Sqrt(n*q*(1-q))
		return at(rank), [2]Days{at(math.Floor(n*q-half) - 1), at(math.Ceil(n*q+half) - 1)}
	}
	var q Quantiles
	q.P50, q.P50CI = one(0.5)
	q.P90, q.P90CI = one(0.9)
	return q
}
