package graph

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/blastradius/blastradius/model"
)

// Effect is what a compromise does to a node, from most to least severe.
type Effect uint8

const (
	Compromised Effect = iota // the attacker controls it
	Disrupted                 // it cannot deliver its services
	Degraded                  // it works with reduced capability
	Exposed                   // its data was held by a compromised node
	// Strained: it keeps working under restrictions, helping others or
	// short of a shared stock. Only a timeline says so (strain needs
	// time); the worst case never does, so Effects leaves it out.
	Strained
	Unaffected
)

// Effects lists the four effects, most severe first.
var Effects = []Effect{Compromised, Disrupted, Degraded, Exposed}

var effectNames = [...]string{"compromised", "disrupted", "degraded", "exposed", "strained", "unaffected"}

func (e Effect) String() string {
	if int(e) < len(effectNames) {
		return effectNames[e]
	}
	return fmt.Sprintf("Effect(%d)", uint8(e))
}

// MarshalText writes the effect's name.
func (e Effect) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// UnmarshalText reads an effect's name.
func (e *Effect) UnmarshalText(b []byte) error {
	for i, n := range effectNames {
		if n == string(b) {
			*e = Effect(i)
			return nil
		}
	}
	return fmt.Errorf("unknown effect %q", b)
}

// Impact is the result of one scenario: every affected node and why.
type Impact struct {
	Model    string      `json:"model"`
	Seeds    []string    `json:"seeds"`
	Mode     model.Mode  `json:"mode"`
	Affected []*Affected `json:"affected"`
	Summary  Summary     `json:"summary"`
	// PeopleNotes name where Summary.People is an estimate or cannot be
	// bounded, and why; none where the count is a plain floor.
	PeopleNotes []PeopleNote `json:"people_notes,omitempty"`
	// MayStrain names the nodes a timeline of this radius may find
	// strained (by mutual aid or a stock running down), which the worst
	// case leaves out: strain needs time.
	MayStrain []MayStrain `json:"may_strain,omitempty"`
}

// Affected is one node a compromise reaches.
type Affected struct {
	ID      string      `json:"id"`
	Name    string      `json:"name"`
	Kind    string      `json:"kind"`
	Class   model.Class `json:"class"`
	ODS     string      `json:"ods,omitempty"`
	ICB     string      `json:"icb,omitempty"`
	Impact  Effect      `json:"impact"`
	Effects []Effect    `json:"effects"`
	// Path is one shortest chain of nodes from a seed that explains Impact;
	// Via names the relation of each step, so len(Via) == len(Path)-1.
	// A chain longer than MaxPathSteps keeps only its last MaxPathSteps
	// steps, and PathOmitted counts the steps left out before them: paths
	// share their beginnings, so From (the node before this one) explains
	// the rest, and a long chain costs each node one step, not its length.
	Path        []string         `json:"path"`
	Via         []model.Relation `json:"via"`
	From        string           `json:"from,omitempty"`
	PathOmitted int              `json:"path_omitted,omitempty"`
	// Patients is the organisation's own figure, 0 for services and where
	// the model gives none; PatientsGiven tells 0 from unknown. JSON writes
	// the figure only where the model gives it.
	Patients      int64 `json:"patients,omitempty"`
	PatientsGiven bool  `json:"-"`
}

// MaxPathSteps is the most steps of its path an Affected carries; the
// steps before them are counted in PathOmitted.
const MaxPathSteps = 16

// Steps returns the length of the node's whole path, in steps.
func (a *Affected) Steps() int { return len(a.Via) + a.PathOmitted }

// Summary counts the affected organisations, seeds included. A node with
// several effects counts once under each. Its fields are the measures
// (measure.go), which declare what each means and how it adds up.
type Summary struct {
	Organisations int `json:"organisations"`
	// People counts each person served by an affected organisation at most
	// once: a floor, never more than an ICB's population within that ICB
	// (see People).
	People int64 `json:"people"`
	// Patients adds up every affected organisation's own figure. Those
	// figures overlap (a GP practice's list, a trust's catchment), so this is
	// an activity measure, not a number of people.
	Patients int64 `json:"patients"`
	// WithoutFigures counts the affected organisations that serve people
	// (not suppliers or ICBs) whose figure the model does not give: people
	// and patients leave them out.
	WithoutFigures int `json:"organisations_without_figures"`
	Compromised    int `json:"compromised"`
	Disrupted      int `json:"disrupted"`
	Degraded       int `json:"degraded"`
	Exposed        int `json:"exposed"`
	// Services counts affected services, which the figures above leave out.
	Services int `json:"services"`
}

// Count returns the number of organisations with the effect.
func (s Summary) Count(e Effect) int {
	for _, m := range measures {
		if m.Counts && m.Effect == e {
			return int(s.Of(m.Measure))
		}
	}
	return 0
}

// Of returns the entry for the id, or nil if the node is unaffected.
func (im *Impact) Of(id string) *Affected {
	for _, a := range im.Affected {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// MarshalJSON keeps empty lists as [] rather than null.
func (a *Affected) MarshalJSON() ([]byte, error) {
	type plain Affected
	c := *a
	if c.Via == nil {
		c.Via = []model.Relation{}
	}
	var patients *int64
	if a.PatientsGiven {
		patients = &c.Patients
	}
	return json.Marshal(struct {
		*plain
		Patients *int64 `json:"patients,omitempty"`
	}{(*plain)(&c), patients})
}

// Reach computes what compromising the seeds does, as docs/model.md defines:
// each effect is the least fixed point of its rules. Its cost is linear in the
// nodes and dependencies the compromise touches.
func (g *Graph) Reach(seeds []string, mode model.Mode) (*Impact, error) {
	return g.ReachWith(seeds, mode, nil)
}

// ReachWith is Reach under the assumptions of r: the same least fixed
// points, computed as if the model had r's changes made. A nil r is Reach.
func (g *Graph) ReachWith(seeds []string, mode model.Mode, r *Run) (*Impact, error) {
	mode, err := checkMode(mode)
	if err != nil {
		return nil, err
	}
	idx, err := g.resolve(seeds)
	if err != nil {
		return nil, err
	}
	wd, err := g.compile(r)
	if err != nil {
		return nil, err
	}
	w := newWorkspace(g)
	w.use(wd)
	w.run(idx, mode, true)
	return w.impact(idx, mode), nil
}

// checkMode defaults an empty mode to ransomware and refuses unknown ones.
func checkMode(m model.Mode) (model.Mode, error) {
	switch m {
	case "":
		return model.Ransomware, nil
	case model.Ransomware, model.Exfiltration:
		return m, nil
	}
	return "", fmt.Errorf("unknown mode %q: use ransomware or exfiltration", m)
}

const (
	bitC = 1 << Compromised
	bitD = 1 << Disrupted // "down": in D, compromised or not
	bitG = 1 << Degraded
	bitE = 1 << Exposed
)

// workspace holds the per-node state of one analysis. Arrays are reset by
// stamping, so a workspace can run many analyses, each in time linear in
// what it touches.
type workspace struct {
	g      *Graph
	stamp  uint32
	seen   []uint32 // == stamp: bits and parent are valid
	bits   []uint8
	parent []int32 // the node before this one on its path; -1 for a seed
	via    []uint8 // relation of the step from parent
	dist   []int32
	// The down chain, for nodes in D: the provider that takes the node
	// down on a shortest explanation of its outage (-1: its own compromise
	// explains it), the relation of that step and the chain's length. A
	// compromised node may go down sooner than the attacker reaches it.
	dpar    []int32
	dvia    []uint8
	ddist   []int32
	estamp  []uint32 // per critical service edge: remaining is valid
	remain  []int32  // providers and alternatives not yet down
	touched []int32  // nodes with any effect, in the order they were reached
	cOrder  []int32  // compromised nodes in breadth-first order
	queue   []int32
	// The world the runs assume (see use).
	assumed
	heads  *headcount
	revBuf []int32 // scratch of path
	relBuf []uint8
}

func newWorkspace(g *Graph) *workspace {
	n := len(g.nodes)
	return &workspace{
		g: g, seen: make([]uint32, n), bits: make([]uint8, n), parent: make([]int32, n),
		via: make([]uint8, n), dist: make([]int32, n),
		dpar: make([]int32, n), dvia: make([]uint8, n), ddist: make([]int32, n),
		estamp: make([]uint32, len(g.svcFrom)), remain: make([]int32, len(g.svcFrom)),
		heads: g.pop.counter(),
	}
}

func (w *workspace) reset() {
	w.stamp++
	if w.stamp == 0 { // wrapped: clear for real
		clear(w.seen)
		clear(w.estamp)
		w.stamp = 1
	}
	w.touched = w.touched[:0]
	w.cOrder = w.cOrder[:0]
}

func (w *workspace) has(v int32, bit uint8) bool { return w.seen[v] == w.stamp && w.bits[v]&bit != 0 }

// mark gives v an effect; the first effect to reach a node sets its path,
// and effects are computed from most to least severe.
func (w *workspace) mark(v int32, bit uint8, from int32, rel uint8) bool {
	if w.seen[v] != w.stamp {
		w.seen[v] = w.stamp
		w.bits[v] = 0
		w.parent[v] = from
		w.via[v] = rel
		if from >= 0 {
			w.dist[v] = w.dist[from] + 1
		} else {
			w.dist[v] = 0
		}
		w.touched = append(w.touched, v)
	}
	if w.bits[v]&bit != 0 {
		return false
	}
	w.bits[v] |= bit
	return true
}

// run computes the four sets. With paths false it skips the breadth-first
// ordering that makes each path a shortest one.
func (w *workspace) run(seeds []int32, mode model.Mode, paths bool) {
	g := w.g
	w.reset()
	// 1. compromised: reachability over the compromise arcs, breadth first.
	q := w.queue[:0]
	for _, s := range seeds {
		if w.mark(s, bitC, -1, 0) {
			q = append(q, s)
		}
	}
	for i := 0; i < len(q); i++ {
		u := q[i]
		for k := g.comp.off[u]; k < g.comp.off[u+1]; k++ {
			v := g.comp.adj[k]
			if w.wd != nil && (w.has(v, bitC) || w.stopped(&g.comp, k, v)) {
				continue
			}
			if w.mark(v, bitC, u, g.comp.rel[k]) {
				q = append(q, v)
			}
		}
		if w.wd != nil && w.wd.dropAny {
			for k := g.held.off[u]; k < g.held.off[u+1]; k++ {
				if v := g.held.adj[k]; w.freed(k, v) && w.mark(v, bitC, u, g.held.rel[k]) {
					q = append(q, v)
				}
			}
		}
	}
	w.cOrder = append(w.cOrder, q...)
	w.queue = q
	if mode == model.Ransomware {
		w.down(paths)
	}
	// 3. degraded: outside D, consuming a service whose provider is in D.
	//    Providers are visited in breadth-first order, so the first to reach a
	//    consumer gives it a shortest path.
	for i := 0; i < len(w.touched); i++ {
		u := w.touched[i]
		if !w.has(u, bitD) {
			continue
		}
		for _, e := range g.svc.of(u) {
			if c := g.svcFrom[e]; !w.has(c, bitD) && !w.edgeDead(e) {
				w.mark(c, bitG, u, g.svcRel[e])
			}
		}
	}
	// 4. exposed: outside C, with data or hosting from a provider in C.
	for _, u := range w.cOrder {
		for k := g.expose.off[u]; k < g.expose.off[u+1]; k++ {
			if v := g.expose.adj[k]; !w.has(v, bitC) && (w.wd == nil || !w.cut(&g.expose, k)) {
				w.mark(v, bitE, u, g.expose.rel[k])
			}
		}
	}
}

// down computes D, the nodes that are down, from C. A node enters D through
// its operator or host being down, or through a critical service whose
// provider and every alternative are down: a Horn clause, solved in linear
// time by counting what is still up on each critical edge.
func (w *workspace) down(paths bool) {
	g := w.g
	q := w.queue[:0]
	for _, u := range w.cOrder {
		w.bits[u] |= bitD
		q = append(q, u)
	}
	enter := func(v, from int32, rel uint8) {
		if w.has(v, bitD) {
			return
		}
		w.mark(v, bitD, from, rel)
		q = append(q, v)
	}
	for i := 0; i < len(q); i++ {
		u := q[i]
		for k := g.down.off[u]; k < g.down.off[u+1]; k++ {
			if v := g.down.adj[k]; w.wd == nil || !w.has(v, bitD) && !w.cut(&g.down, k) {
				enter(v, u, g.down.rel[k])
			}
		}
		for _, e := range g.watch.of(u) {
			// A dead edge counts down like a live one but never fires:
			// its state is looked at only when it would.
			if w.estamp[e] != w.stamp {
				w.estamp[e] = w.stamp
				w.remain[e] = int32(1 + len(g.svcAlts[e]))
				if w.wd != nil {
					w.remain[e] += w.extraAlts(e)
				}
			}
			w.remain[e]--
			if w.remain[e] == 0 && !w.edgeDead(e) {
				enter(g.svcFrom[e], g.svcTo[e], g.svcRel[e])
			}
		}
		if w.wd != nil {
			// Alternatives the world adds count down as the edges' own do.
			for _, a := range w.wd.alts {
				if a.v != u || !g.svcCrit[a.e] || w.edgeDead(a.e) {
					continue
				}
				e := a.e
				if w.estamp[e] != w.stamp {
					w.estamp[e] = w.stamp
					w.remain[e] = int32(1+len(g.svcAlts[e])) + w.extraAlts(e)
				}
				w.remain[e]--
				if w.remain[e] == 0 {
					enter(g.svcFrom[e], g.svcTo[e], g.svcRel[e])
				}
			}
		}
	}
	w.queue = q
	if !paths {
		return
	}
	// The set is now final. Give each node of D a shortest explanation of
	// its outage over states (node, effect carried): breadth first from C,
	// each compromised node entering at the length of its compromise, over
	// the steps that take a node down in the final D. A compromised node
	// reached sooner that way keeps its compromise path for its own impact
	// but explains its consumers' outage by the shorter chain.
	for _, v := range q {
		w.dpar[v] = -2 // not yet placed
	}
	var next []int32
	ci, ni := 0, 0
	order := w.touched[:0:0]
	for ci < len(w.cOrder) || ni < len(next) {
		var u int32
		if ni >= len(next) || (ci < len(w.cOrder) && w.dist[w.cOrder[ci]] <= w.ddist[next[ni]]) {
			u = w.cOrder[ci]
			ci++
			if w.dpar[u] != -2 {
				continue // already down by a shorter chain, and expanded
			}
			w.dpar[u], w.ddist[u] = -1, w.dist[u]
		} else {
			u = next[ni]
			ni++
		}
		order = append(order, u)
		d := w.ddist[u] + 1
		place := func(v int32, rel uint8) {
			if w.dpar[v] != -2 || w.bits[v]&bitC != 0 && w.dist[v] <= d {
				return
			}
			w.dpar[v], w.dvia[v], w.ddist[v] = u, rel, d
			if w.bits[v]&bitC == 0 {
				w.parent[v], w.via[v], w.dist[v] = u, rel, d
			}
			next = append(next, v)
		}
		for k := g.down.off[u]; k < g.down.off[u+1]; k++ {
			if v := g.down.adj[k]; w.wd == nil || !w.cut(&g.down, k) {
				place(v, g.down.rel[k])
			}
		}
		for _, e := range g.svc.of(u) {
			if g.svcCrit[e] && !w.edgeDead(e) && w.allDown(e) {
				place(g.svcFrom[e], g.svcRel[e])
			}
		}
	}
	// Keep touched in order of the down chains' lengths, so that
	// degradation, which is computed next, finds shortest paths too.
	w.touched = append(w.touched[:0], order...)
}

func (w *workspace) allDown(e int32) bool {
	for _, a := range w.g.svcAlts[e] {
		if !w.has(a, bitD) {
			return false
		}
	}
	if w.wd != nil {
		for _, a := range w.wd.alts {
			if a.e == e && (a.v < 0 || !w.has(a.v, bitD)) {
				return false
			}
		}
	}
	return true
}

// impact turns the sets into the public result, sorted by severity, then id.
func (w *workspace) impact(seeds []int32, mode model.Mode) *Impact {
	g := w.g
	im := &Impact{Model: g.model.Name, Mode: mode, Seeds: make([]string, len(seeds))}
	for i, s := range seeds {
		im.Seeds[i] = g.nodes[s].ID
	}
	var buckets [4][]int32
	var hit []int32
	for _, v := range w.touched {
		if w.bits[v] != 0 {
			e := w.impactOf(v)
			buckets[e] = append(buckets[e], v)
			hit = append(hit, v)
		}
	}
	im.PeopleNotes = g.peopleNotes(hit)
	im.MayStrain = g.mayStrain(func(v int32) bool { return w.bits[v]&(bitD|bitG) != 0 })
	for _, b := range buckets {
		slices.Sort(b) // index order is id order
		for _, v := range b {
			n := g.nodes[v]
			a := &Affected{ID: n.ID, Name: n.Name, Kind: n.Kind, Class: n.Class, ODS: n.ODS, ICB: n.ICB, Patients: n.Patients, PatientsGiven: n.GivesPatients(), Impact: w.impactOf(v)}
			a.Effects = w.effectsOf(v)
			a.Path, a.Via, a.PathOmitted = w.path(v)
			if len(a.Path) > 1 {
				a.From = a.Path[len(a.Path)-2]
			}
			im.Affected = append(im.Affected, a)
		}
	}
	im.Summary = w.summary()
	if im.Affected == nil {
		im.Affected = []*Affected{}
	}
	return im
}

func (w *workspace) impactOf(v int32) Effect {
	b := w.bits[v]
	switch {
	case b&bitC != 0:
		return Compromised
	case b&bitD != 0:
		return Disrupted
	case b&bitG != 0:
		return Degraded
	}
	return Exposed
}

func (w *workspace) effectsOf(v int32) []Effect {
	var out []Effect
	b := w.bits[v]
	if b&bitC != 0 {
		out = append(out, Compromised)
	} else if b&bitD != 0 {
		out = append(out, Disrupted)
	}
	if b&bitG != 0 {
		out = append(out, Degraded)
	}
	if b&bitE != 0 {
		out = append(out, Exposed)
	}
	return out
}

// path returns a shortest explanation of v's impact: the compromise chain
// of a compromised node, the down chain of one that is down, and one step
// from a provider's down chain (degraded) or compromise chain (exposed).
func (w *workspace) path(v int32) ([]string, []model.Relation, int) {
	rev, rels := w.revBuf[:0], w.relBuf[:0] // reused from path to path
	defer func() { w.revBuf, w.relBuf = rev, rels }()
	u, down := v, false
	switch b := w.bits[v]; {
	case b&bitC != 0:
	case b&bitD != 0:
		down = true
	default: // degraded through a provider that is down; exposed through one compromised
		rev, rels = append(rev, v), append(rels, w.via[v])
		u, down = w.parent[v], b&bitG != 0
	}
	// Only the last MaxPathSteps steps are kept: rev holds at most
	// MaxPathSteps+1 nodes, and the walk stops there.
	full := func() bool { return len(rev) > MaxPathSteps }
	for ; down && w.dpar[u] >= 0 && !full(); u = w.dpar[u] {
		rev, rels = append(rev, u), append(rels, w.dvia[u])
	}
	for ; u >= 0 && !full(); u = w.parent[u] {
		rev, rels = append(rev, u), append(rels, w.via[u])
	}
	omitted := 0
	if full() {
		omitted = w.steps(v) - MaxPathSteps
	}
	path := make([]string, len(rev))
	via := make([]model.Relation, 0, len(rev)-1)
	for i := range rev {
		j := len(rev) - 1 - i
		path[i] = w.g.nodes[rev[j]].ID
		if i > 0 {
			via = append(via, relationName[rels[j]])
		}
	}
	return path, via, omitted
}

// steps returns the length in steps of v's whole path, as path walks it,
// from the lengths the runs recorded: the compromise chain's of a
// compromised node, the down chain's of one that is down, and one more
// than its provider's for one degraded or exposed.
func (w *workspace) steps(v int32) int {
	switch b := w.bits[v]; {
	case b&bitC != 0:
		return int(w.dist[v])
	case b&bitD != 0:
		return int(w.ddist[v])
	case b&bitG != 0:
		return 1 + int(w.ddist[w.parent[v]])
	default:
		return 1 + int(w.dist[w.parent[v]])
	}
}

// summary counts affected organisations by effect.
func (w *workspace) summary() Summary {
	var s Summary
	for _, v := range w.touched {
		b := w.bits[v]
		if b == 0 {
			continue
		}
		if !w.g.orgs[v] {
			s.Services++
			continue
		}
		s.Organisations++
		s.Patients += w.g.patients[v]
		w.heads.add(v)
		if !w.g.pop.known[v] {
			s.WithoutFigures++
		}
		if b&bitC != 0 {
			s.Compromised++
		} else if b&bitD != 0 {
			s.Disrupted++
		}
		if b&bitG != 0 {
			s.Degraded++
		}
		if b&bitE != 0 {
			s.Exposed++
		}
	}
	s.People = w.heads.total()
	return s
}
