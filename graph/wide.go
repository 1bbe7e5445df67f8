package graph

import (
	"math"
	"math/bits"

	"github.com/blastradius/blastradius/model"
)

// A wide run is the analysis of a compromise, as workspace.run computes it
// without paths, in up to 64 Monte Carlo worlds at once: each node carries
// one machine word per effect, whose bit i says the node has the effect in
// the batch's world i, and each dependency one word of the worlds in which
// it holds. The rules are the same least fixed points, word by word: a
// compromise crosses an arc in the worlds where its source is compromised
// and its dependency holds; a consumer goes down through a critical
// service in the worlds where the provider and every alternative are down;
// and so on. A node goes back on the work list when its word gains a bit,
// which happens at most 64 times, so a batch costs about what one world
// costs, not 64 times as much.
//
// A dependency's word is made of the very draws the worlds make one at a
// time (draws.live: a hash of the seed, the world and the dependency), and
// only for the worlds in which the analysis asks about it, so each world's
// sets, and every figure made from them, are those of workspace.run in that
// world, bit for bit; TestWideMatchesOneWorldAtATime checks it.

// wordWorlds is how many worlds a wide run carries: the bits of a word.
const wordWorlds = 64

// wide holds the state of one batch of worlds. Arrays are reset by
// stamping, as a workspace's are, so each batch costs what it touches.
type wide struct {
	g *Graph
	assumed
	dr    *draws
	tab   []uint64           // the batch's draws made ahead (drawBatch), or nil
	keys  [wordWorlds]uint64 // the batch's worlds' keys (draws.world)
	n     int                // worlds in the batch
	full  uint64             // the batch's worlds, as a word
	stamp uint32
	seen  []uint32 // by node: == stamp: the words below are valid
	inq   []uint32 // by node: == stamp: on the work list
	c, d  []uint64 // by node: compromised, down (in D, compromised or not)
	deg   []uint64 // by node: degraded
	exp   []uint64 // by node: exposed
	// deps is, by dependency, its draws in the batch's worlds.
	deps    []depWord
	touched []int32 // nodes with a word, in the order they were reached
	queue   []int32
	// sums is, by world of the batch, its Summary (see summarise).
	sums  [wordWorlds]Summary
	heads *wideHeads
	// only, if set by measureOnly, is the one measure sums must hold; the
	// others are left at 0.
	only    Measure
	onlySet bool
}

// measureOnly makes the next batches count only measure m, for an
// analysis that reads no other (people, the dearest, is counted only when
// asked for).
func (x *wide) measureOnly(m Measure) { x.only, x.onlySet = m, true }

// wFieldOf is the field of summarise's counts that holds measure m, or -1.
var wFieldOf = [...]int{
	MeasureOrganisations: wOrgs, MeasurePeople: -1, MeasurePatients: -1, MeasureWithoutFigures: wWithout,
	MeasureCompromised: wCompromised, MeasureDisrupted: wDisrupted, MeasureDegraded: wDegraded,
	MeasureExposed: wExposed, MeasureServices: wServices,
}

func newWide(g *Graph, dr *draws) *wide {
	n := len(g.nodes)
	x := &wide{
		g: g, dr: dr,
		seen: make([]uint32, n), inq: make([]uint32, n),
		c: make([]uint64, n), d: make([]uint64, n), deg: make([]uint64, n), exp: make([]uint64, n),
	}
	return x
}

// lazyDraws makes the table of draws that live fills in as it goes, the
// first time it needs it: a run over draws made ahead never does.
func (x *wide) lazyDraws() {
	x.deps = make([]depWord, len(x.dr.thr))
	for i := range x.deps {
		x.deps[i].thr = x.dr.thr[i]
	}
}

// depWord is a dependency's draws in a batch: when stamp is the batch's,
// word says whether it holds in the worlds of mask (the others are not
// drawn yet). thr is its threshold (draws.thr), kept beside them so that
// one read of memory finds all three.
type depWord struct {
	stamp, thr uint32
	mask, word uint64
}

// use makes the next batches assume wd, whose draws are not read: the
// batches draw their own (nil: the model as built).
func (x *wide) use(wd *world) {
	if wd == nil {
		wd = &world{}
	}
	x.assume(len(x.g.nodes), wd)
}

func (x *wide) reset() {
	x.stamp++
	if x.stamp == 0 { // wrapped: clear for real
		clear(x.seen)
		clear(x.inq)
		for i := range x.deps {
			x.deps[i].stamp = 0
		}
		x.stamp = 1
	}
	x.touched = x.touched[:0]
}

// node makes v's words valid.
func (x *wide) node(v int32) {
	if x.seen[v] != x.stamp {
		x.seen[v] = x.stamp
		x.c[v], x.d[v], x.deg[v], x.exp[v] = 0, 0, 0, 0
		x.touched = append(x.touched, v)
	}
}

// cOf and dOf are v's compromised and down words (0 if untouched).
func (x *wide) cOf(v int32) uint64 {
	if x.seen[v] != x.stamp {
		return 0
	}
	return x.c[v]
}

func (x *wide) dOf(v int32) uint64 {
	if x.seen[v] != x.stamp {
		return 0
	}
	return x.d[v]
}

// live returns the worlds of need in which dependency dep holds: -1 (an
// operator) always; one the base world masks, never; else its draw in
// each world, made once a batch and only when asked for.
func (x *wide) live(dep int32, need uint64) uint64 {
	if dep < 0 {
		return need
	}
	if x.wd.dead != nil && x.wd.dead.Has(int(dep)) {
		return 0
	}
	dr := x.dr
	if x.tab != nil {
		return need & x.tab[dep]
	}
	if dr.slot != nil { // exact enumeration: the world's number has its bit
		s := dr.slot[dep]
		if s < 0 {
			return need
		}
		var out uint64
		for m := need; m != 0; m &= m - 1 {
			i := bits.TrailingZeros64(m)
			out |= (x.keys[i] >> uint(s) & 1) << i
		}
		return out
	}
	if x.deps == nil {
		x.lazyDraws()
	}
	dw := &x.deps[dep]
	t := dw.thr
	switch t {
	case math.MaxUint32:
		return need
	case 0:
		return 0
	}
	if dw.stamp != x.stamp {
		dw.stamp, dw.mask, dw.word = x.stamp, 0, 0
	}
	if todo := need &^ dw.mask; todo != 0 {
		w, tt := dw.word, uint64(t)
		// below is 1 when the hash's top 32 bits are below t: the
		// difference of two numbers under 2^32 wraps past 2^63 exactly
		// then, which spares a branch that guesses wrong half the time.
		// It is depHash with the dependency's half made once.
		dk := (uint64(dep) + 1) * depMul
		below := func(i int) uint64 { return (mix64(x.keys[i]^dk)>>32 - tt) >> 63 }
		if todo == x.full {
			for i := range x.n {
				w |= below(i) << i
			}
		} else {
			for m := todo; m != 0; m &= m - 1 {
				i := bits.TrailingZeros64(m)
				w |= below(i) << i
			}
		}
		dw.word, dw.mask = w, dw.mask|todo
	}
	return dw.word & need
}

// drawBatch is the draws of every dependency in the worlds [first,
// first+n), made ahead: by dependency, the worlds in which it holds. An
// analysis that runs many compromises in the same worlds (rank --risk,
// recommend) makes each world's draws once instead of once a compromise.
type drawBatch struct {
	first uint64
	n     int
	words []uint64
}

// batches makes the draws of worlds [0, samples) in batches of 64, the
// dependencies shared out between the workers of opt.
func (d *draws) batches(opt Options, samples int) ([]*drawBatch, error) {
	var out []*drawBatch
	for first := 0; first < samples; first += wordWorlds {
		b, err := d.batch(opt, uint64(first), min(wordWorlds, samples-first))
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// batch makes the draws of worlds [first, first+n).
func (d *draws) batch(opt Options, first uint64, n int) (*drawBatch, error) {
	b := &drawBatch{first: first, n: n, words: make([]uint64, len(d.thr))}
	var keys [wordWorlds]uint64
	for i := range n {
		keys[i] = d.world(first + uint64(i))
	}
	full := ^uint64(0) >> (wordWorlds - n)
	const span = 4096
	opt.Progress = nil
	err := parallel(opt, (len(d.thr)+span-1)/span, func() struct{} { return struct{}{} }, func(_ struct{}, c int) {
		for dep := c * span; dep < min(len(d.thr), (c+1)*span); dep++ {
			switch t := d.thr[dep]; t {
			case math.MaxUint32:
				b.words[dep] = full
			case 0:
			default:
				dk, tt, w := (uint64(dep)+1)*depMul, uint64(t), uint64(0)
				for i := range n {
					w |= (mix64(keys[i]^dk)>>32 - tt) >> 63 << i
				}
				b.words[dep] = w
			}
		}
	})
	return b, err
}

// runBatch is run in the worlds of b, reading b's draws.
func (x *wide) runBatch(seeds []int32, mode model.Mode, b *drawBatch) {
	x.tab = b.words
	x.run(seeds, mode, b.first, b.n)
	x.tab = nil
}

// push puts v on the work list unless it is there.
func (x *wide) push(v int32) {
	if x.inq[v] != x.stamp {
		x.inq[v] = x.stamp
		x.queue = append(x.queue, v)
	}
}

// run computes the four sets of compromising seeds in the n worlds whose
// numbers start at first (1 ≤ n ≤ 64), and their summaries.
func (x *wide) run(seeds []int32, mode model.Mode, first uint64, n int) {
	g := x.g
	x.reset()
	x.n = n
	x.full = ^uint64(0) >> (wordWorlds - n)
	for i := range n {
		x.keys[i] = x.dr.world(first + uint64(i))
	}
	// 1. compromised.
	x.queue = x.queue[:0]
	for _, s := range seeds {
		x.node(s)
		x.c[s] = x.full
		x.push(s)
	}
	for i := 0; i < len(x.queue); i++ {
		u := x.queue[i]
		x.inq[u] = 0
		cu := x.c[u]
		c := &g.comp
		for k := c.off[u]; k < c.off[u+1]; k++ {
			v := c.adj[k]
			cand := cu &^ x.cOf(v)
			if cand == 0 || x.ctlAdd != nil && x.ctlAdd[v]&stopBit[c.rel[k]] != 0 {
				continue
			}
			if cand = x.live(c.dep[k], cand); cand != 0 {
				x.node(v)
				x.c[v] |= cand
				x.push(v)
			}
		}
		if x.wd.dropAny {
			h := &g.held
			for k := h.off[u]; k < h.off[u+1]; k++ {
				v, sb := h.adj[k], stopBit[h.rel[k]]
				if x.ctlDrop[v]&sb == 0 || x.ctlAdd[v]&sb != 0 {
					continue
				}
				if cand := x.live(h.dep[k], cu&^x.cOf(v)); cand != 0 {
					x.node(v)
					x.c[v] |= cand
					x.push(v)
				}
			}
		}
	}
	if mode == model.Ransomware {
		x.down()
	}
	// 3. degraded: a consumer outside D of a service whose provider is in D.
	for _, u := range x.touched {
		du := x.d[u]
		if du == 0 {
			continue
		}
		for _, e := range g.svc.of(u) {
			c := g.svcFrom[e]
			if cand := x.live(g.svcDep[e], du&^x.dOf(c)); cand != 0 {
				x.node(c)
				x.deg[c] |= cand
			}
		}
	}
	// 4. exposed: outside C, with data or hosting from a provider in C.
	for i := 0; i < len(x.touched); i++ {
		u := x.touched[i]
		cu := x.c[u]
		if cu == 0 {
			continue
		}
		ex := &g.expose
		for k := ex.off[u]; k < ex.off[u+1]; k++ {
			v := ex.adj[k]
			if cand := x.live(ex.dep[k], cu&^x.cOf(v)); cand != 0 {
				x.node(v)
				x.exp[v] |= cand
			}
		}
	}
	x.summarise()
}

// down computes D from C: through an operator or host that is down, or a
// critical service whose provider and every alternative are down, in the
// worlds where the dependency holds.
func (x *wide) down() {
	g := x.g
	x.queue = x.queue[:0]
	for _, v := range x.touched {
		if x.c[v] != 0 {
			x.d[v] = x.c[v]
			x.push(v)
		}
	}
	raise := func(v int32, w uint64) {
		if w != 0 {
			x.node(v)
			x.d[v] |= w
			x.push(v)
		}
	}
	for i := 0; i < len(x.queue); i++ {
		u := x.queue[i]
		x.inq[u] = 0
		du := x.d[u]
		dn := &g.down
		for k := dn.off[u]; k < dn.off[u+1]; k++ {
			v := dn.adj[k]
			if cand := du &^ x.dOf(v); cand != 0 {
				raise(v, x.live(dn.dep[k], cand))
			}
		}
		for _, e := range g.watch.of(u) {
			raise(g.svcFrom[e], x.fire(e))
		}
		for _, a := range x.wd.alts {
			if a.v == u && g.svcCrit[a.e] {
				raise(g.svcFrom[a.e], x.fire(a.e))
			}
		}
	}
}

// fire returns the worlds, not yet in its consumer's word, in which
// critical edge e takes its consumer down: its provider and every
// alternative are down and its dependency holds.
func (x *wide) fire(e int32) uint64 {
	g := x.g
	c := g.svcFrom[e]
	all := x.dOf(g.svcTo[e]) &^ x.dOf(c)
	for _, a := range g.svcAlts[e] {
		if all == 0 {
			return 0
		}
		all &= x.dOf(a)
	}
	for _, a := range x.wd.alts {
		if a.e != e {
			continue
		}
		if a.v < 0 {
			return 0 // an alternative outside the model stays up
		}
		all &= x.dOf(a.v)
	}
	if all == 0 {
		return 0
	}
	return x.live(g.svcDep[e], all)
}

// Fields of one world's Summary that summarise counts.
const (
	wOrgs = iota
	wServices
	wWithout
	wCompromised
	wDisrupted
	wDegraded
	wExposed
	wFields
)

// vcount counts, for each of 64 worlds at once, how many words had its
// bit: a counter per world kept in bit planes (plane j holds bit j of
// every world's count), so that adding a word costs a few operations
// whatever its bits, instead of one per world.
type vcount struct {
	plane [32]uint64
	used  int // planes that may be non-zero
}

func (c *vcount) add(w uint64) {
	for j := 0; w != 0; j++ {
		t := c.plane[j] & w
		c.plane[j] ^= w
		w = t
		c.used = max(c.used, j+1)
	}
}

// at returns world i's count.
func (c *vcount) at(i int) int {
	n := 0
	for j := range c.used {
		n |= int(c.plane[j]>>i&1) << j
	}
	return n
}

// wideHeads is a headcount (people.go) of 64 worlds at once: by group and
// world, the GP lists added and the largest other figure; what every world
// of the batch shares is kept once, by group.
type wideHeads struct {
	pop           *population
	lists, top    []int64  // by group×64+world
	allLists, all []int64  // by group: in every world
	in            []uint64 // by group: the worlds with members
	used          []int32
}

func newWideHeads(p *population) *wideHeads {
	k := len(p.cap)
	return &wideHeads{pop: p, lists: make([]int64, k*wordWorlds), top: make([]int64, k*wordWorlds),
		allLists: make([]int64, k), all: make([]int64, k), in: make([]uint64, k)}
}

// add counts organisation v in the worlds of w; full is every world's.
func (h *wideHeads) add(v int32, w, full uint64) {
	p := h.pop
	switch g := p.group[v]; {
	case g == regional:
		for _, s := range p.shares[v] {
			h.addTo(s.group, s.figure, p.gp[v], w, full)
		}
	case g >= 0:
		if p.icbNode[v] {
			h.addTo(g, 0, false, w, full)
			return
		}
		h.addTo(g, p.figure[v], p.gp[v], w, full)
	}
}

func (h *wideHeads) addTo(g int32, figure int64, gp bool, w, full uint64) {
	if h.in[g] == 0 {
		h.used = append(h.used, g)
	}
	h.in[g] |= w
	switch {
	case w == full && gp:
		h.allLists[g] += figure
	case w == full:
		h.all[g] = max(h.all[g], figure)
	case gp:
		if figure != 0 {
			row := h.lists[int(g)*wordWorlds : int(g)*wordWorlds+wordWorlds]
			for m := w; m != 0; m &= m - 1 {
				row[bits.TrailingZeros64(m)] += figure
			}
		}
	case figure > 0:
		row := h.top[int(g)*wordWorlds : int(g)*wordWorlds+wordWorlds]
		for m := w; m != 0; m &= m - 1 {
			i := bits.TrailingZeros64(m)
			row[i] = max(row[i], figure)
		}
	}
}

// total returns world i's people, as headcount.total does.
func (h *wideHeads) total(i int) int64 {
	p := h.pop
	var n, loose int64
	for _, g := range h.used {
		if h.in[g]>>i&1 == 0 {
			continue
		}
		k := int(g)*wordWorlds + i
		c := max(h.allLists[g]+h.lists[k], h.all[g], h.top[k])
		if p.capKnown[g] {
			c = min(c, p.cap[g])
		}
		if g == p.noICB {
			loose = c
		} else {
			n += c
		}
	}
	return max(n, loose)
}

// clear starts the next batch's count.
func (h *wideHeads) clear() {
	for _, g := range h.used {
		clear(h.lists[int(g)*wordWorlds : int(g)*wordWorlds+wordWorlds])
		clear(h.top[int(g)*wordWorlds : int(g)*wordWorlds+wordWorlds])
		h.allLists[g], h.all[g], h.in[g] = 0, 0, 0
	}
	h.used = h.used[:0]
}

// summarise fills in sums[0:n], each world's Summary as workspace.summary
// gives it. What every world of the batch shares is counted once.
func (x *wide) summarise() {
	g := x.g
	if x.heads == nil {
		x.heads = newWideHeads(g.pop)
	}
	var cnt [wFields]vcount
	var all [wFields]int
	var patients [wordWorlds]int64
	var allPatients int64
	full := x.full
	wantPeople, wantPatients := true, true
	want := [wFields]bool{true, true, true, true, true, true, true}
	if x.onlySet {
		wantPeople, wantPatients = x.only == MeasurePeople, x.only == MeasurePatients
		want = [wFields]bool{}
		if f := wFieldOf[x.only]; f >= 0 {
			want[f] = true
		}
	}
	count := func(f int, w uint64) {
		switch {
		case w == 0 || !want[f]:
		case w == full:
			all[f]++
		default:
			cnt[f].add(w)
		}
	}
	for _, v := range x.touched {
		c, d := x.c[v], x.d[v]
		any := c | d | x.deg[v] | x.exp[v]
		if any == 0 {
			continue
		}
		if !g.orgs[v] {
			count(wServices, any)
			continue
		}
		count(wOrgs, any)
		if !g.pop.known[v] {
			count(wWithout, any)
		}
		count(wCompromised, c)
		count(wDisrupted, d&^c)
		count(wDegraded, x.deg[v])
		count(wExposed, x.exp[v])
		if wantPeople {
			x.heads.add(v, any, full)
		}
		switch p := g.patients[v]; {
		case !wantPatients || p == 0:
		case any == full:
			allPatients += p
		default:
			for m := any; m != 0; m &= m - 1 {
				patients[bits.TrailingZeros64(m)] += p
			}
		}
	}
	for i := range x.n {
		at := func(f int) int { return all[f] + cnt[f].at(i) }
		x.sums[i] = Summary{
			Organisations: at(wOrgs), People: x.heads.total(i), Patients: allPatients + patients[i],
			WithoutFigures: at(wWithout), Compromised: at(wCompromised), Disrupted: at(wDisrupted),
			Degraded: at(wDegraded), Exposed: at(wExposed), Services: at(wServices),
		}
	}
	x.heads.clear()
}

// each calls f for every world of the batch in which w has its bit, in
// order of the worlds.
func each(w uint64, f func(i int)) {
	for m := w; m != 0; m &= m - 1 {
		f(bits.TrailingZeros64(m))
	}
}
