package timeline

import (
	"math"
	"math/bits"
	"slices"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// engine computes capacities day by day. It touches only the compromised
// nodes and those downstream of them over the arcs that carry an outage;
// every other node is at 1 on every day, and a link from it costs nothing.
// Its arrays over the whole graph are reset by stamping, so one engine
// runs many timelines (the worlds of a simulation, the orders of crews),
// each in time proportional to what it touches times the days.
type engine struct {
	g     *graph.Graph
	sets  *graph.Sets
	stamp uint32
	seen  []uint32 // by node: == stamp when pos is valid
	pos   []int32  // by node: its place in nodes

	nodes []int32 // the nodes touched, in the order reached
	comp  []bool  // by place: compromised
	curve []curve // by place: the curve of a compromised node
	// The links into each place, from providers that are touched:
	// links[off[i]:off[i+1]].
	off   []int32
	links []link
	pend  []pending // scratch of collect
	arcs  []graph.OutageArc
	// Strongly connected parts of the links that act on the same day,
	// providers first: members of part k are order[part[k]:part[k+1]].
	order, part []int32
	cyclic      []bool // by part: it reads itself on the same day
	maxBuf      int
	// slots is a power of two above maxBuf+1: days are kept by day modulo
	// slots, in ring and due (mask is slots-1).
	mask int
	// ring holds the last days, by day modulo slots: all
	// that a day reads. With keep, hist holds every day, by day and place
	// (hist[t*len(nodes)+i]); lost adds 1 − capacity up by place.
	ring [][]float64
	keep bool
	hist []float64
	lost []float64
	tmp  []float64 // scratch of day
	// What a change reaches: place i's consumers (as provider or
	// alternative) are outs[outOff[i]:outOff[i+1]], each with its buffer.
	outOff []int32
	outs   []out
	partOf []int32 // by place: its part
	// due is, by day modulo maxBuf+1, the set of parts to compute that
	// day, as bits; parts are numbered providers first, so a day takes
	// them in order, and a part that a change makes due the same day is
	// always further on.
	due [][]uint64
	// turns are the days on which compromised places' own curves change,
	// by day; next is the first not yet applied.
	turns []turn
	next  int
	// six indexes the model's aid links and surges (nil without any);
	// st is their state for the places collected (nil when none of them
	// is among the places, and the engine runs as without them).
	six       *strainIndex
	st        *strain
	short     int // places below 1 on the day last computed
	days      int // days computed
	lastShort int // the last day any node was below 1, or -1
}

// link is one provider's arc into a consumer, as a place.
type link struct {
	from   int32
	buffer int32
	share  float64
	alts   []int32 // places of its alternatives; -1 for one never touched
}

// out is a consumer that a change of a place reaches, buffer days later.
type out struct {
	to     int32
	buffer int32
}

// turn is a day on which a compromised place's own curve changes.
type turn struct {
	day   int
	place int32
}

type pending struct {
	to  int32
	arc graph.OutageArc
	// from is the provider's place.
	from int32
}

var relations = model.AllRelations()

func newEngine(g *graph.Graph) *engine {
	n := g.Len()
	return &engine{g: g, sets: g.NewSets(), seen: make([]uint32, n), pos: make([]int32, n), six: newStrainIndex(g)}
}

func (e *engine) placeOf(v int32) int32 {
	if e.seen[v] == e.stamp {
		return e.pos[v]
	}
	return -1
}

func (e *engine) add(v int32) int32 {
	if p := e.placeOf(v); p >= 0 {
		return p
	}
	e.seen[v] = e.stamp
	e.pos[v] = int32(len(e.nodes))
	e.nodes = append(e.nodes, v)
	return e.pos[v]
}

// collect finds the compromised nodes (the reach's sets) and every node
// downstream of them over outage arcs that hold in the world, with the
// links between them.
func (e *engine) collect(seeds []int32, mode model.Mode, worlds *graph.Worlds, key uint64) {
	e.stamp++
	if e.stamp == 0 {
		clear(e.seen)
		e.stamp = 1
	}
	e.nodes, e.comp, e.curve = e.nodes[:0], e.comp[:0], e.curve[:0]
	e.links, e.pend, e.maxBuf = e.links[:0], e.pend[:0], 0
	e.sets.Run(seeds, mode, worlds, key)
	if mode == model.Ransomware { // else compromised nodes stay up: nothing is short
		for _, v := range e.sets.Touched() {
			if e.sets.Compromised(v) {
				e.add(v)
			}
		}
	}
	deps := e.g.Model().Dependencies
	for i := 0; i < len(e.nodes); i++ {
		u := e.nodes[i]
		e.arcs = e.g.OutageArcs(u, e.arcs[:0])
		for _, a := range e.arcs {
			if worlds != nil && !worlds.Live(key, a.Dependency) {
				continue
			}
			to := e.add(a.Consumer)
			e.pend = append(e.pend, pending{to: to, arc: a, from: int32(i)})
		}
		e.followStrain(u)
	}
	n := len(e.nodes)
	for _, v := range e.nodes {
		c := e.sets.Compromised(v)
		e.comp = append(e.comp, c)
		var cv curve
		if c {
			cv = curveOf(e.g.Node(v))
		}
		e.curve = append(e.curve, cv)
	}
	// Group the links by consumer, in the order found.
	e.off = slices.Grow(e.off[:0], n+1)[:n+1]
	clear(e.off)
	for _, p := range e.pend {
		e.off[p.to+1]++
	}
	for i := range n {
		e.off[i+1] += e.off[i]
	}
	e.links = slices.Grow(e.links[:0], len(e.pend))[:len(e.pend)]
	fill := make([]int32, n)
	copy(fill, e.off[:n])
	for _, p := range e.pend {
		info := &relations[p.arc.Relation]
		l := link{from: p.from, share: 1}
		if p.arc.Dependency >= 0 {
			d := deps[p.arc.Dependency]
			if info.Critical {
				l.share = d.ShareOrDefault()
			}
			if info.Written {
				l.buffer = int32(max(0, d.Buffer))
			}
		}
		if len(p.arc.Alternatives) > 0 {
			l.alts = make([]int32, len(p.arc.Alternatives))
			for k, a := range p.arc.Alternatives {
				l.alts[k] = e.placeOf(a)
			}
		}
		e.maxBuf = max(e.maxBuf, int(l.buffer))
		e.links[fill[p.to]] = l
		fill[p.to]++
	}
	e.buildStrain()
	e.parts()
	e.reach()
}

// reach indexes, for each place, the consumers its changes reach, and
// each place's part.
func (e *engine) reach() {
	n := len(e.nodes)
	e.outOff = slices.Grow(e.outOff[:0], n+1)[:n+1]
	clear(e.outOff)
	each := func(visit func(from int32, o out)) {
		for c := range n {
			for _, l := range e.links[e.off[c]:e.off[c+1]] {
				visit(l.from, out{int32(c), l.buffer})
				for _, a := range l.alts {
					if a >= 0 {
						visit(a, out{int32(c), l.buffer})
					}
				}
			}
		}
	}
	each(func(from int32, _ out) { e.outOff[from+1]++ })
	for i := range n {
		e.outOff[i+1] += e.outOff[i]
	}
	e.outs = slices.Grow(e.outs[:0], int(e.outOff[n]))[:e.outOff[n]]
	fill := slices.Clone(e.outOff[:n])
	each(func(from int32, o out) {
		e.outs[fill[from]] = o
		fill[from]++
	})
	e.partOf = slices.Grow(e.partOf[:0], n)[:n]
	for k := 0; k+1 < len(e.part); k++ {
		for _, i := range e.order[e.part[k]:e.part[k+1]] {
			e.partOf[i] = int32(k)
		}
	}
	slots := 2
	for slots < e.maxBuf+2 {
		slots *= 2
	}
	e.mask = slots - 1
	words := (len(e.part) - 1 + 63) / 64
	for len(e.due) < slots {
		e.due = append(e.due, nil)
	}
	for s := range slots {
		e.due[s] = slices.Grow(e.due[s][:0], words)[:words]
		clear(e.due[s])
	}
}

// parts orders the places so that a node comes after every provider it
// reads on the same day (links without a buffer, and their
// alternatives), by Tarjan's strongly connected components, iteratively.
func (e *engine) parts() {
	n := len(e.nodes)
	// Same-day arcs provider → consumer, as a CSR over places.
	out := make([]int32, n+1)
	var arcs [][2]int32
	self := make([]bool, n)
	for c := range n {
		for _, l := range e.links[e.off[c]:e.off[c+1]] {
			if l.buffer != 0 {
				continue
			}
			arcs = append(arcs, [2]int32{l.from, int32(c)})
			for _, a := range l.alts {
				if a >= 0 {
					arcs = append(arcs, [2]int32{a, int32(c)})
					self[c] = self[c] || a == int32(c)
				}
			}
		}
	}
	for _, a := range arcs {
		out[a[0]+1]++
	}
	for i := range n {
		out[i+1] += out[i]
	}
	adj := make([]int32, len(arcs))
	fill := slices.Clone(out[:n])
	for _, a := range arcs {
		adj[fill[a[0]]] = a[1]
		fill[a[0]]++
	}
	index := make([]int32, n)
	low := make([]int32, n)
	on := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack, comps []int32
	var bounds []int32
	type frame struct{ v, k int32 }
	var call []frame
	next := int32(0)
	for s := range int32(n) {
		if index[s] >= 0 {
			continue
		}
		call = append(call, frame{s, out[s]})
		index[s], low[s] = next, next
		next++
		stack = append(stack, s)
		on[s] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			v := f.v
			if f.k < out[v+1] {
				w := adj[f.k]
				f.k++
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					on[w] = true
					call = append(call, frame{w, out[w]})
				} else if on[w] {
					low[v] = min(low[v], index[w])
				}
				continue
			}
			call = call[:len(call)-1]
			if len(call) > 0 {
				p := call[len(call)-1].v
				low[p] = min(low[p], low[v])
			}
			if low[v] == index[v] {
				bounds = append(bounds, int32(len(comps)))
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					on[w] = false
					comps = append(comps, w)
					if w == v {
						break
					}
				}
			}
		}
	}
	bounds = append(bounds, int32(len(comps)))
	// Tarjan finishes consumers first: reverse the components.
	e.order, e.part, e.cyclic = e.order[:0], e.part[:0], e.cyclic[:0]
	for k := len(bounds) - 2; k >= 0; k-- {
		e.part = append(e.part, int32(len(e.order)))
		members := comps[bounds[k]:bounds[k+1]]
		// A one-node part needs no iteration unless it reads itself.
		e.cyclic = append(e.cyclic, len(members) > 1 || self[members[0]])
		e.order = append(e.order, members...)
	}
	e.part = append(e.part, int32(len(e.order)))
}

// at is the capacity of place i on day t: 1 before day 0.
func (e *engine) at(t int, i int32) float64 {
	if t < 0 {
		return 1
	}
	return e.ring[t&e.mask][i]
}

const (
	// eps: a capacity within eps of 0 is 0; within nearOne of 1 it is 1 (a
	// cycle through buffers comes back geometrically, and would otherwise
	// never quite be back).
	eps     = 1e-12
	nearOne = 1e-6
	// still: a capacity that moves by no more from one day to the next
	// has not moved.
	still = 1e-8
)

// value is place i's capacity on day t from the capacities known.
func (e *engine) value(t int, i int32) float64 {
	if e.st != nil {
		return e.strainValue(t, i)
	}
	v := 1.0
	if e.comp[i] {
		if v = e.curve[i].at(t); v == 0 {
			return 0
		}
	}
	for _, l := range e.links[e.off[i]:e.off[i+1]] {
		tau := t - int(l.buffer)
		if tau < 0 {
			continue
		}
		s := e.covered(tau, l.alts, e.at(tau, l.from))
		v *= 1 - l.share*(1-s)
		if v == 0 {
			return 0
		}
	}
	switch {
	case v < eps:
		return 0
	case v > 1-nearOne:
		return 1
	}
	return v
}

// covered is a link's supply s on day tau, or, if higher, what one of its
// alternatives alts gives: the smaller of 0.5 and its own capacity that day.
func (e *engine) covered(tau int, alts []int32, s float64) float64 {
	if s < 1 {
		for _, a := range alts {
			g := 1.0
			if a >= 0 {
				g = e.at(tau, a)
			}
			s = max(s, min(0.5, g))
		}
	}
	return s
}

// day computes day t, part by part, providers first. A part without a
// cycle is the greatest fixed point of the rules at once. In a cycle of
// links that act on the same day, a node at 0 takes down every member
// that needs it fully (the least set closed under that rule, as the worst
// case has it), and every other member reads the others' capacity as the
// rest of the model leaves them (one step): a shortfall crosses the cycle
// but never comes back around to compound on itself. (The greatest fixed
// point would: two trusts that need each other fully, one at half, would
// both spiral to 0 though nothing is down.)
func (e *engine) day(t int) {
	row := e.ring[t&e.mask]
	if e.st != nil {
		e.strainDay(t, row)
	} else if t == 0 {
		// Every part, providers first; then what differs from the 1 of
		// the days before reaches consumers a buffer later.
		e.short = 0
		for k := 0; k+1 < len(e.part); k++ {
			e.compute(0, int32(k), row)
		}
		for i, c := range row {
			if c < 1 {
				e.short++
				e.changed(0, int32(i))
			}
		}
	} else {
		// Only what a change reaches is computed again; every other
		// place keeps yesterday's capacity, its inputs being the same.
		prev := e.ring[(t-1)&e.mask]
		copy(row, prev)
		for ; e.next < len(e.turns) && e.turns[e.next].day <= t; e.next++ {
			if e.turns[e.next].day == t {
				e.schedule(t, e.partOf[e.turns[e.next].place])
			}
		}
		due := e.due[t&e.mask]
		for w := range due {
			for due[w] != 0 {
				b := bits.TrailingZeros64(due[w])
				due[w] &^= 1 << b
				k := int32(w*64 + b)
				e.compute(t, k, row)
				for _, i := range e.order[e.part[k]:e.part[k+1]] {
					if math.Abs(row[i]-prev[i]) <= still {
						// A change too small to matter keeps yesterday's
						// value: a cycle through buffers converges over
						// the days and would otherwise move every day.
						row[i] = prev[i]
						continue
					}
					switch {
					case row[i] < 1 && prev[i] >= 1:
						e.short++
					case row[i] >= 1 && prev[i] < 1:
						e.short--
					}
					e.changed(t, i)
				}
			}
		}
	}
	if e.short > 0 {
		e.lastShort = t
	}
	for i, c := range row {
		e.lost[i] += 1 - c
	}
	if e.keep {
		e.hist = append(e.hist, row...)
	}
	e.days = t + 1
}

// changed makes due every part that place i's change on day t reaches,
// on the day it reaches it (on day 0 every part is computed anyway).
func (e *engine) changed(t int, i int32) {
	k := e.partOf[i]
	for _, o := range e.outs[e.outOff[i]:e.outOff[i+1]] {
		if o.buffer == 0 && (t == 0 || e.partOf[o.to] == k) {
			continue
		}
		e.schedule(t+int(o.buffer), e.partOf[o.to])
	}
}

// schedule makes part p due on day d.
func (e *engine) schedule(d int, p int32) {
	e.due[d&e.mask][p>>6] |= 1 << (p & 63)
}

// compute computes part k on day t into row. A part without a cycle is
// the greatest fixed point of the rules at once. In a cycle of links that
// act on the same day, a node at 0 takes down every member that needs it
// fully (the least set closed under that rule, as the worst case has
// it), and every other member reads the others' capacity as the rest of
// the model leaves them (one step): a shortfall crosses the cycle but
// never comes back around to compound on itself. (The greatest fixed
// point would: two trusts that need each other fully, one at half, would
// both spiral to 0 though nothing is down.)
func (e *engine) compute(t int, k int32, row []float64) {
	members := e.order[e.part[k]:e.part[k+1]]
	if !e.cyclic[k] {
		row[members[0]] = e.value(t, members[0])
		return
	}
	for _, i := range members {
		row[i] = 1
	}
	for changed := true; changed; {
		changed = false
		for _, i := range members {
			if row[i] != 0 && e.value(t, i) == 0 {
				row[i], changed = 0, true
			}
		}
	}
	e.tmp = slices.Grow(e.tmp[:0], len(members))[:len(members)]
	for pass := 0; pass < 2; pass++ {
		for j, i := range members {
			if row[i] != 0 {
				e.tmp[j] = e.value(t, i)
			}
		}
		for j, i := range members {
			if row[i] != 0 {
				row[i] = e.tmp[j]
			}
		}
	}
}

// run computes the days. With horizon above 0 it computes exactly that
// many; with 0, until every node is back to 1 for good (the day after the
// last day any node is short, which the result includes), at most
// MaxHorizon days.
func (e *engine) run(horizon int) {
	e.days, e.lastShort = 0, -1
	n := len(e.nodes)
	for len(e.ring) < e.mask+1 {
		e.ring = append(e.ring, nil)
	}
	e.ring = e.ring[:e.mask+1]
	for k := range e.ring {
		e.ring[k] = slices.Grow(e.ring[k][:0], n)[:n]
	}
	e.lost = slices.Grow(e.lost[:0], n)[:n]
	clear(e.lost)
	e.hist = e.hist[:0]
	for s := range e.mask + 1 {
		clear(e.due[s])
	}
	e.turns, e.next = e.turns[:0], 0
	if e.st != nil {
		e.st.reset()
	}
	for i, c := range e.comp {
		if c {
			e.curve[i].turns(int32(i), &e.turns)
		}
	}
	slices.SortFunc(e.turns, func(a, b turn) int { return a.day - b.day })
	full := 0.0 // the day from which every compromised node's own curve is 1
	for i, c := range e.comp {
		if c {
			full = math.Max(full, e.curve[i].full())
		}
	}
	limit := horizon
	if limit <= 0 {
		limit = MaxHorizon
	}
	for t := 0; t < limit; t++ {
		e.day(t)
		// Every day after t is all 1 once the curves are 1 from t+1 and
		// the last maxBuf days were all 1: no link reads anything short.
		if horizon <= 0 && float64(t+1) >= full && t-e.lastShort >= max(1, e.maxBuf) {
			break
		}
	}
	if horizon <= 0 {
		e.days = min(e.days, e.lastShort+2)
	}
}
