package graph

import (
	"fmt"
	"slices"

	"github.com/blastradius/blastradius/model"
)

// Run is what one analysis assumes beyond the model as built: what-if
// changes and, for sampling, which dependencies hold. A nil *Run, or the
// zero Run, assumes nothing. Dependencies are named by their index in
// Model().Dependencies; a network link is one dependency for both ways, and
// an operator always holds.
type Run struct {
	// AddControls gives nodes controls; RemoveControls takes them away
	// (a control both added and removed is added). Only controls that stop
	// an effect (mfa, segmentation) change an analysis.
	AddControls    []NodeControl
	RemoveControls []NodeControl
	// Mask lists dependencies that do not hold.
	Mask []int
	// Alternatives gives service dependencies more alternatives.
	Alternatives []Alternative
	// Live, if not nil, is a world of a Monte Carlo analysis: dependency i
	// holds only if Live.Has(i). Make it with NewBitset(len(Dependencies)).
	Live Bitset
}

// NodeControl is a control on a node.
type NodeControl struct {
	ID      string
	Control string
}

// Alternative is another provider for a service dependency. An empty ID is
// a provider outside the model, which no compromise takes down.
type Alternative struct {
	Dependency int
	ID         string
}

// RunOf returns the Run that makes changes on the graph as built: the
// engine's fast what-if, which needs no new graph. Controls added and taken
// away, dependencies removed (every listing a model.Change names) and
// alternatives added to service dependencies, named or outside the model,
// all compile to a Run; a dependency added does not, since it changes the
// graph itself, nor an aid link added or a stock changed, which only the
// timeline reads: for those, build the graph of Model().Apply(changes).
func (g *Graph) RunOf(changes []model.Change) (*Run, error) {
	r := &Run{}
	for _, c := range changes {
		switch c.Kind {
		case model.AddControl:
			r.AddControls = append(r.AddControls, NodeControl{c.ID, c.Control})
		case model.RemoveControl:
			r.RemoveControls = append(r.RemoveControls, NodeControl{c.ID, c.Control})
		case model.RemoveDependency, model.AddAlternative:
			found := false
			for i, d := range g.model.Dependencies {
				if c.Kind == model.RemoveDependency && (model.Removal{From: model.Ref{Value: c.From}, To: model.Ref{Value: c.To}, Type: c.Type}).Matches(d) {
					r.Mask, found = append(r.Mask, i), true
				}
				if c.Kind == model.AddAlternative && d.Type.HasAlternatives() && d.From == c.From && d.To == c.To {
					r.Alternatives, found = append(r.Alternatives, Alternative{Dependency: i, ID: c.Alternative}), true
				}
			}
			if !found {
				return nil, fmt.Errorf("%s: the model has no such dependency", c)
			}
		default:
			return nil, fmt.Errorf("%s: a run cannot make this change; build the graph of the model with it made", c)
		}
	}
	return r, nil
}

// Bitset is a set of small numbers: dependency indices.
type Bitset []uint64

// NewBitset returns an empty set for numbers below n.
func NewBitset(n int) Bitset { return make(Bitset, (n+63)/64) }

// Has reports whether i is in the set.
func (b Bitset) Has(i int) bool { return i>>6 < len(b) && b[i>>6]&(1<<(i&63)) != 0 }

// Set adds i to the set; i must be below the size the set was made for.
func (b Bitset) Set(i int) { b[i>>6] |= 1 << (i & 63) }

// Clear removes i from the set.
func (b Bitset) Clear(i int) { b[i>>6] &^= 1 << (i & 63) }

// world is a Run resolved against a graph: what the hot loops read.
type world struct {
	add, drop []nodeBits // controls added or removed, by node
	dead      Bitset     // dependencies that do not hold; nil if all hold
	alts      []edgeAlt  // alternatives added to service edges
	dropAny   bool
	// draws, if not nil, decides lazily which dependencies hold in the
	// world of a Monte Carlo analysis whose key (draws.world) is draw (see
	// simulate.go); a dependency holds if dead does not have it and draws
	// says it is live.
	draws *draws
	draw  uint64
}

// isDead reports whether dependency d does not hold in the world.
func (wd *world) isDead(d int32) bool {
	if d < 0 {
		return false
	}
	if wd.dead != nil && wd.dead.Has(int(d)) {
		return true
	}
	return wd.draws != nil && !wd.draws.live(wd.draw, d)
}

type nodeBits struct {
	v    int32
	bits uint8
}

// edgeAlt is an alternative v added to service edge e; v is -1 for one
// that stays up.
type edgeAlt struct{ e, v int32 }

// sampledWorld is the world the samplers draw from: r compiled, and the
// model as it is (an empty world, never nil) when r is nil.
func (g *Graph) sampledWorld(r *Run) (*world, error) {
	wd, err := g.compile(r)
	if wd == nil && err == nil {
		wd = &world{}
	}
	return wd, err
}

// sampleCount returns n worlds, or def when n is 0; n must not be below 0.
func sampleCount(n, def int) (int, error) {
	switch {
	case n < 0:
		return 0, fmt.Errorf("samples: %d is below 0", n)
	case n == 0:
		return def, nil
	}
	return n, nil
}

// compile resolves a Run; nil means none.
func (g *Graph) compile(r *Run) (*world, error) {
	if r == nil || (len(r.AddControls) == 0 && len(r.RemoveControls) == 0 && len(r.Mask) == 0 && len(r.Alternatives) == 0 && r.Live == nil) {
		return nil, nil
	}
	w := &world{}
	bits := func(ncs []NodeControl) ([]nodeBits, error) {
		var out []nodeBits
		for _, nc := range ncs {
			v, ok := g.index[nc.ID]
			if !ok {
				return nil, &UnknownIDError{ID: nc.ID, Suggestion: g.suggest(nc.ID)}
			}
			if !slices.Contains(model.Controls, nc.Control) {
				return nil, fmt.Errorf("unknown control %q", nc.Control)
			}
			if b := controlBit(nc.Control); b != 0 {
				out = append(out, nodeBits{v, b})
			}
		}
		return out, nil
	}
	var err error
	if w.add, err = bits(r.AddControls); err != nil {
		return nil, err
	}
	if w.drop, err = bits(r.RemoveControls); err != nil {
		return nil, err
	}
	w.dropAny = len(w.drop) > 0
	nd := len(g.model.Dependencies)
	if len(r.Mask) > 0 || r.Live != nil {
		w.dead = NewBitset(nd)
		for i := range nd {
			if r.Live != nil && !r.Live.Has(i) {
				w.dead.Set(i)
			}
		}
		for _, i := range r.Mask {
			if i < 0 || i >= nd {
				return nil, fmt.Errorf("mask: no dependency %d (the model has %d)", i, nd)
			}
			w.dead.Set(i)
		}
	}
	for _, a := range r.Alternatives {
		if a.Dependency < 0 || a.Dependency >= nd || g.depEdge[a.Dependency] < 0 {
			return nil, fmt.Errorf("alternative: dependency %d is not one that alternatives apply to", a.Dependency)
		}
		v := int32(-1)
		if a.ID != "" {
			var ok bool
			if v, ok = g.index[a.ID]; !ok {
				return nil, &UnknownIDError{ID: a.ID, Suggestion: g.suggest(a.ID)}
			}
		}
		e := g.depEdge[a.Dependency]
		if v != g.svcTo[e] && !slices.Contains(g.svcAlts[e], v) {
			w.alts = append(w.alts, edgeAlt{e, v})
		}
	}
	return w, nil
}

// use makes the workspace's next runs assume wd (nil: nothing).
func (w *workspace) use(wd *world) { w.assume(len(w.g.nodes), wd) }

// assumed is what a world makes the hot loops read: the world, and by
// node the control bits it adds and removes.
type assumed struct {
	// wd is the world the runs assume; nil: the model as built.
	wd              *world
	ctlAdd, ctlDrop []uint8
}

// assume makes the next runs assume wd (nil: nothing), over n nodes.
func (a *assumed) assume(n int, wd *world) {
	if a.wd != nil {
		for _, x := range a.wd.add {
			a.ctlAdd[x.v] = 0
		}
		for _, x := range a.wd.drop {
			a.ctlDrop[x.v] = 0
		}
	}
	a.wd = wd
	if wd == nil {
		return
	}
	if a.ctlAdd == nil && (len(wd.add) > 0 || len(wd.drop) > 0) {
		a.ctlAdd = make([]uint8, n)
		a.ctlDrop = make([]uint8, n)
	}
	for _, x := range wd.add {
		a.ctlAdd[x.v] |= x.bits
	}
	for _, x := range wd.drop {
		a.ctlDrop[x.v] |= x.bits
	}
}

// stopped reports whether the world stops the k-th arc of c, into v.
func (w *workspace) stopped(c *csr, k int32, v int32) bool {
	if w.wd.isDead(c.dep[k]) {
		return true
	}
	return w.ctlAdd != nil && w.ctlAdd[v]&stopBit[c.rel[k]] != 0
}

// cut reports whether the world masks the dependency of the k-th arc of c.
func (w *workspace) cut(c *csr, k int32) bool {
	return w.wd.isDead(c.dep[k])
}

// freed reports whether the world frees the k-th arc of g.held, into v: the
// control that stops it is removed and its dependency holds.
func (w *workspace) freed(k int32, v int32) bool {
	c := &w.g.held
	if w.ctlDrop[v]&stopBit[c.rel[k]] == 0 || w.ctlAdd[v]&stopBit[c.rel[k]] != 0 {
		return false
	}
	return !w.wd.isDead(c.dep[k])
}

// edgeDead reports whether the world masks service edge e.
func (w *workspace) edgeDead(e int32) bool {
	return w.wd != nil && w.wd.isDead(w.g.svcDep[e])
}

// extraAlts returns how many alternatives the world adds to edge e.
func (w *workspace) extraAlts(e int32) int32 {
	n := int32(0)
	for _, a := range w.wd.alts {
		if a.e == e {
			n++
		}
	}
	return n
}
