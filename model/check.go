package model

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// index maps ids to nodes and offers "did you mean" over them.
type index struct {
	num   map[string]int32 // a number for each id, for compact keys
	nodes []*Node          // by number
	kind  []int32          // the index in Kinds of each node's kind, or -1
	ids   []string         // sorted on first use, for suggestions
	// unlikely holds UnlikelyDirection by relation and the kinds of the two
	// nodes, worked out on first use: 0 not yet, 1 likely, 2 unlikely.
	unlikely []uint8
	// The model's dependencies by key and by pair as written, built on
	// first use (see deps), so that scenarios cost what they name.
	byKey  depTable
	byPair depTable
	built  bool
	sorted bool
}

// depTable finds dependencies by a number: a sorted array, which costs a
// national model one sort where a map of lists costs it 400,000
// allocations.
type depTable struct {
	keys []uint64
	deps []*Dependency
}

// get returns the dependencies of key k, in file order.
func (t depTable) get(k uint64) []*Dependency {
	i, found := slices.BinarySearch(t.keys, k)
	if !found {
		return nil
	}
	j := i + 1
	for j < len(t.keys) && t.keys[j] == k {
		j++
	}
	return t.deps[i:j:j]
}

// makeDepTable indexes deps, in file order, by key(d); a key of 0 is left out.
func makeDepTable(deps []*Dependency, key func(*Dependency) uint64) depTable {
	type entry struct {
		k uint64
		i int32
	}
	es := make([]entry, 0, len(deps))
	for i, d := range deps {
		if k := key(d); k != 0 {
			es = append(es, entry{k, int32(i)})
		}
	}
	slices.SortFunc(es, func(a, b entry) int {
		if a.k != b.k {
			if a.k < b.k {
				return -1
			}
			return 1
		}
		return int(a.i - b.i)
	})
	t := depTable{keys: make([]uint64, len(es)), deps: make([]*Dependency, len(es))}
	for n, e := range es {
		t.keys[n], t.deps[n] = e.k, deps[e.i]
	}
	return t
}

// pairKey is a number for the ids of from and to as written; 0 if either
// is unknown.
func (ix *index) pairKey(from, to string) uint64 {
	a, okA := ix.num[from]
	b, okB := ix.num[to]
	if !okA || !okB {
		return 0
	}
	return uint64(a)<<32 | uint64(b) + 1
}

// deps indexes m's dependencies once, after checkModel has dropped those
// that add nothing.
func (ix *index) deps(m *Model) {
	if ix.built {
		return
	}
	ix.built = true
	ix.byKey = makeDepTable(m.Dependencies, func(d *Dependency) uint64 { return depKey(ix, d) })
	ix.byPair = makeDepTable(m.Dependencies, func(d *Dependency) uint64 { return ix.pairKey(d.From, d.To) })
}

// removes returns the model's dependencies that r matches, in file order
// within each pair.
func (ix *index) removes(r Removal) []*Dependency {
	var out []*Dependency
	for _, d := range ix.byPair.get(ix.pairKey(r.From.Value, r.To.Value)) {
		if r.Matches(d) {
			out = append(out, d)
		}
	}
	if r.From.Value != r.To.Value {
		for _, d := range ix.byPair.get(ix.pairKey(r.To.Value, r.From.Value)) {
			if r.Matches(d) {
				out = append(out, d)
			}
		}
	}
	return out
}

func newIndex(m *Model, p *parser) *index {
	n := len(m.Organisations) + len(m.Services)
	ix := &index{num: make(map[string]int32, n), nodes: make([]*Node, 0, n), kind: make([]int32, 0, n), ids: make([]string, 0, n)}
	for _, n := range m.Nodes() {
		if i, dup := ix.num[n.ID]; dup {
			if p != nil {
				p.addIn(n.Pos.File, SevError, n.Pos, fmt.Sprintf("duplicate id %q", n.ID),
					fmt.Sprintf("first defined at %s", ix.nodes[i].Pos))
			}
			continue
		}
		k, ok := kindIndex[kindKey{n.Class, n.Kind}]
		if !ok {
			k = -1
		}
		ix.num[n.ID] = int32(len(ix.nodes))
		ix.nodes = append(ix.nodes, n)
		ix.kind = append(ix.kind, int32(k))
		ix.ids = append(ix.ids, n.ID)
	}
	return ix
}

// lookup returns the node of id and its number, or nil and -1.
func (ix *index) lookup(id string) (*Node, int32) {
	if i, ok := ix.num[id]; ok {
		return ix.nodes[i], i
	}
	return nil, -1
}

// resolve reports an id that names no node.
func (ix *index) resolve(p *parser, file string, pos Pos, what, id string) *Node {
	n, _ := ix.resolveNum(p, file, pos, what, id)
	return n
}

// resolveNum is resolve that also returns the node's number, or -1.
func (ix *index) resolveNum(p *parser, file string, pos Pos, what, id string) (*Node, int32) {
	if n, i := ix.lookup(id); n != nil {
		return n, i
	}
	if !ix.sorted {
		sort.Strings(ix.ids)
		ix.sorted = true
	}
	p.errs = append(p.errs, &Error{File: file, Pos: pos, Msg: fmt.Sprintf("%s %q: no such organisation or service", what, id),
		Hint: didYouMean(id, ix.ids, "define it under organisations or services, or correct the id")})
	return nil, -1
}

// unlikelyDirection is UnlikelyDirection for the nodes numbered a and b,
// worked out once for each relation and pair of kinds.
func (ix *index) unlikelyDirection(t Relation, a, b int32) bool {
	r, ka, kb := RelationIndex(t), ix.kind[a], ix.kind[b]
	if r < 0 || ka < 0 || kb < 0 {
		return UnlikelyDirection(t, ix.nodes[a], ix.nodes[b])
	}
	nk, nr := len(Kinds), len(AllRelations())
	if r >= nr || int(ka) >= nk || int(kb) >= nk {
		return UnlikelyDirection(t, ix.nodes[a], ix.nodes[b])
	}
	if len(ix.unlikely) != nr*nk*nk {
		ix.unlikely = make([]uint8, nr*nk*nk)
	}
	i := (r*nk+int(ka))*nk + int(kb)
	if ix.unlikely[i] == 0 {
		ix.unlikely[i] = 1
		if UnlikelyDirection(t, ix.nodes[a], ix.nodes[b]) {
			ix.unlikely[i] = 2
		}
	}
	return ix.unlikely[i] == 2
}

// checkModel checks what the parts of a model say of each other.
func checkModel(m *Model, p *parser) {
	ix := newIndex(m, p)
	ods := map[string]*Node{}
	for _, o := range m.Organisations {
		if o.ODS != "" {
			if first, dup := ods[o.ODS]; dup && first != o {
				hint := "an ODS code names one organisation; check both"
				if first.Pos.File != o.Pos.File {
					hint += fmt.Sprintf(" (%q is at %s)", first.ID, first.Pos)
				}
				p.addIn(o.Pos.File, SevWarning, o.At("ods"), fmt.Sprintf("ODS code %q of %q is also the code of %q", o.ODS, o.ID, first.ID), hint)
			} else {
				ods[o.ODS] = o
			}
		}
		checkICBs(p, ix, o)
	}
	checkPeopleFigures(m, p)
	for _, s := range m.Services {
		if s.Operator == "" {
			continue
		}
		if op := ix.resolve(p, s.Pos.File, s.At("operator"), fmt.Sprintf("operator of %q", s.ID), s.Operator); op != nil && op.Class != ClassOrganisation {
			p.addIn(s.Pos.File, SevError, s.At("operator"), fmt.Sprintf("operator of %q names the service %q", s.ID, s.Operator), "an operator is an organisation: the one that runs the service")
		}
	}
	deps := m.Dependencies
	ends, keys := ix.number(deps)
	first := firstOfKey(keys, len(ix.nodes))
	kept := make([]*Dependency, 0, len(deps))
	for i, d := range deps {
		checkDepAt(p, ix, d, ends[2*i], ends[2*i+1])
		if f := first[i]; f >= 0 && int(f) != i && !listedAgain(p, deps[f], d) {
			continue // adds nothing: dropped, so that nothing downstream counts it twice
		}
		kept = append(kept, d)
	}
	m.Dependencies = kept
	checkScenarios(m, m.Scenarios, m.Policies, ix, p)
}

// checkDependency checks one dependency: its ids, its direction and its
// alternatives. It returns whether it joins two different ids.
func checkDependency(p *parser, ix *index, d *Dependency) bool {
	ok, _ := checkDep(p, ix, d)
	return ok
}

// checkDep is checkDependency that also returns the dependency's depKey.
func checkDep(p *parser, ix *index, d *Dependency) (bool, uint64) {
	a, b := int32(-1), int32(-1)
	if d.From != "" {
		_, a = ix.lookup(d.From)
	}
	if d.To != "" {
		_, b = ix.lookup(d.To)
	}
	return checkDepAt(p, ix, d, a, b)
}

// checkDepAt is checkDep for a dependency whose ends are the nodes
// numbered a and b, -1 for an id that names no node.
func checkDepAt(p *parser, ix *index, d *Dependency, a, b int32) (bool, uint64) {
	file := d.Pos.File
	var from, to *Node
	if d.From != "" {
		if a >= 0 {
			from = ix.nodes[a]
		} else {
			ix.resolve(p, file, d.At("from"), "dependency from", d.From)
		}
	}
	if d.To != "" {
		if b >= 0 {
			to = ix.nodes[b]
		} else {
			ix.resolve(p, file, d.At("to"), "dependency to", d.To)
		}
	}
	if d.From == "" || d.To == "" {
		return false, 0
	}
	if d.From == d.To {
		if d.Fields.has("aid") {
			p.addIn(file, SevError, d.At("to"), fmt.Sprintf("%q gives aid to itself", d.From), "aid is help from another organisation or service; correct from or to")
			return false, 0
		}
		p.addIn(file, SevError, d.At("to"), fmt.Sprintf("%q depends on itself", d.From), "a dependency joins two different ids; remove it or correct from or to")
		return false, 0
	}
	if from != nil && to != nil && ix.unlikelyDirection(d.Type, a, b) {
		warnDirection(p, d, from, to)
	}
	if len(d.Alternatives) > 0 && !d.Type.HasAlternatives() && d.Type != "" {
		p.addIn(file, SevWarning, d.At("alternatives"), fmt.Sprintf("alternatives on a %s dependency have no effect", d.Type), "alternatives stand in for a failed provider of a service dependency")
	}
	for i, a := range d.Alternatives {
		switch {
		case a == d.To:
			p.addIn(file, SevError, d.AltAt(i), fmt.Sprintf("alternative %q is the provider itself", a), "list other providers that can stand in for it")
		case a == d.From:
			p.addIn(file, SevError, d.AltAt(i), fmt.Sprintf("alternative %q is the consumer itself", a), "list other providers that can stand in for the provider")
		case slices.Contains(d.Alternatives[:i], a):
			p.addIn(file, SevError, d.AltAt(i), fmt.Sprintf("alternative %q is listed twice", a), "remove the repeat")
		default:
			ix.resolve(p, file, d.AltAt(i), "alternative", a)
		}
	}
	checkTimeOfDependency(p, d)
	checkStrainOfDependency(p, ix, d, from, to)
	return true, keyOf(d.Type, a, b)
}

// number gives the numbers of the two ends of each dependency (from, to;
// -1 for an empty id or one that names no node) and the depKey of those
// that checkDep accepts (0 for the others), looked up in parallel: the map
// is only read.
func (ix *index) number(deps []*Dependency) (ends []int32, keys []uint64) {
	ends, keys = make([]int32, 2*len(deps)), make([]uint64, len(deps))
	part := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			d := deps[i]
			a, b := int32(-1), int32(-1)
			if n, ok := ix.num[d.From]; ok {
				a = n
			}
			if n, ok := ix.num[d.To]; ok {
				b = n
			}
			ends[2*i], ends[2*i+1] = a, b
			if d.From != "" && d.To != "" && d.From != d.To {
				keys[i] = keyOf(d.Type, a, b)
			}
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(deps)/(4*chunkItems)+1)
	if workers < 2 {
		part(0, len(deps))
		return ends, keys
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			part(w*len(deps)/workers, (w+1)*len(deps)/workers)
		}()
	}
	wg.Wait()
	return ends, keys
}

// firstOfKey returns, for each key, the index of the first equal key (its
// own index when there is none before it), or -1 for a key of 0. nodes is
// the number of nodes, past the first end (key>>35) of every key. The keys
// are put in buckets by their first end, in order, and each bucket is
// searched on its own: a map of every key costs a national model more.
func firstOfKey(keys []uint64, nodes int) []int32 {
	first := make([]int32, len(keys))
	start := make([]int32, nodes+2)
	for _, k := range keys {
		if k != 0 {
			start[k>>35+2]++
		}
	}
	for i := 2; i < len(start); i++ {
		start[i] += start[i-1]
	}
	order := make([]int32, start[len(start)-1])
	for i, k := range keys {
		if k == 0 {
			first[i] = -1
			continue
		}
		j := &start[k>>35+1]
		order[*j] = int32(i)
		*j++
	}
	// start[b] is now where bucket b starts, start[b+1] where it ends.
	for b := 0; b < nodes; b++ {
		bucket := order[start[b]:start[b+1]]
		if len(bucket) <= 16 {
			for x, i := range bucket {
				first[i] = i
				for _, j := range bucket[:x] {
					if keys[j] == keys[i] {
						first[i] = first[j]
						break
					}
				}
			}
			continue
		}
		slices.SortStableFunc(bucket, func(i, j int32) int { return cmp.Compare(keys[i], keys[j]) })
		for x, i := range bucket {
			first[i] = i
			if x > 0 && keys[bucket[x-1]] == keys[i] {
				first[i] = first[bucket[x-1]]
			}
		}
	}
	return first
}

// depKey is a number for the pair and type of a dependency, the same for
// both directions of a network link; 0 if an id or the type is unknown.
func depKey(ix *index, d *Dependency) uint64 {
	a, okA := ix.num[d.From]
	b, okB := ix.num[d.To]
	if !okA || !okB {
		return 0
	}
	return keyOf(d.Type, a, b)
}

// keyOf is depKey for a dependency of type t between the nodes numbered a
// and b (-1 for an unknown id).
func keyOf(t Relation, a, b int32) uint64 {
	r := RelationIndex(t)
	if a < 0 || b < 0 || r < 0 || !relations[r].Written {
		return 0
	}
	if relations[r].BothWays && b < a {
		a, b = b, a // a link has no direction
	}
	return uint64(a)<<35 | uint64(b)<<4 | uint64(r+1)
}

// lineFrom says where p is to a reader at from: "line 10" in the same
// file, the whole position in another.
func lineFrom(p, from Pos) string {
	if p.File == from.File && p.IsValid() {
		return "line " + strconv.Itoa(p.Line)
	}
	return p.String()
}

// listedAgain reports a second listing d of the dependency first: a warning
// if it says the same (it returns false: d adds nothing), an error naming
// both lines if it says something else (it returns true).
func listedAgain(p *parser, first, d *Dependency) bool {
	at := fmt.Sprintf("first at %s", first.Pos)
	var diffs []string
	if first.Critical != d.Critical {
		diffs = append(diffs, fmt.Sprintf("critical %v here, %v at %s", d.Critical, first.Critical, lineFrom(first.Pos, d.Pos)))
	}
	if !sameSet(first.Alternatives, d.Alternatives) {
		diffs = append(diffs, fmt.Sprintf("alternatives %s here, %s at %s", listText(d.Alternatives), listText(first.Alternatives), lineFrom(first.Pos, d.Pos)))
	}
	if first.Likelihood != d.Likelihood {
		diffs = append(diffs, fmt.Sprintf("likelihood %v here, %v at %s", d.Likelihood, first.Likelihood, lineFrom(first.Pos, d.Pos)))
	}
	diffs = append(diffs, timeDiffs(first, d)...)
	what := fmt.Sprintf("the %s dependency of %q on %q", d.Type, d.From, d.To)
	if d.Type.BothWays() {
		what = fmt.Sprintf("the %s link between %q and %q", d.Type, first.From, first.To)
	}
	if len(diffs) > 0 {
		p.addIn(d.Pos.File, SevError, d.Pos, fmt.Sprintf("%s is listed twice, differently: %s", what, strings.Join(diffs, "; ")),
			at+"; keep one listing, with the values you mean")
		return true
	}
	if d.Type.BothWays() && d.From != first.From {
		p.addIn(d.Pos.File, SevWarning, d.Pos, what+" is listed from both sides; the second listing adds nothing",
			at+"; a "+string(d.Type)+" link has no direction: one listing is enough")
		return false
	}
	p.addIn(d.Pos.File, SevWarning, d.Pos, what+" is listed twice; the second listing adds nothing", at+"; remove one")
	return false
}

func sameSet(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			return false
		}
	}
	return true
}

func listText(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return "[" + strings.Join(ids, ", ") + "]"
}

// checkScenarios checks the ids that scenarios and policies name.
func checkScenarios(m *Model, scenarios []*Scenario, pol *Policies, ix *index, p *parser) {
	names := map[string]*Scenario{}
	for _, s := range scenarios {
		if first, dup := names[s.Name]; dup && s.Name != "" {
			p.errs = append(p.errs, &Error{File: s.Pos.File, Pos: s.At("name"), Msg: fmt.Sprintf("duplicate scenario name %q", s.Name),
				Hint: fmt.Sprintf("first at %s; scenarios are run by name", first.Pos)})
		} else {
			names[s.Name] = s
		}
		for _, r := range s.Compromise {
			ix.resolve(p, s.Pos.File, r.Pos, "compromised id", r.Value)
		}
		for _, c := range s.Assume.Controls {
			ix.resolve(p, s.Pos.File, c.ID.Pos, "assumed controls for", c.ID.Value)
		}
		for _, r := range s.Assume.Remove {
			a := ix.resolve(p, s.Pos.File, r.From.Pos, "remove from", r.From.Value)
			b := ix.resolve(p, s.Pos.File, r.To.Pos, "remove to", r.To.Value)
			if a == nil || b == nil {
				continue
			}
			if ix.deps(m); len(ix.removes(r)) == 0 {
				what := "dependency"
				if r.Type != "" {
					what = string(r.Type) + " dependency"
				}
				p.errs = append(p.errs, &Error{File: s.Pos.File, Pos: r.Pos, Msg: fmt.Sprintf("remove: no %s from %q to %q", what, r.From.Value, r.To.Value),
					Hint: "a removal must match a dependency of the model; check the direction: from is the consumer"})
			}
		}
		checkAssume(m, s, ix, p)
		checkAssumeStrain(s, ix, p)
		if x := s.Expect; x != nil {
			for _, r := range x.Reaches {
				ix.resolve(p, s.Pos.File, r.Pos, "expected reached id", r.Value)
			}
			for _, r := range x.Spares {
				ix.resolve(p, s.Pos.File, r.Pos, "expected spared id", r.Value)
				if containsRef(x.Reaches, r.Value) {
					p.errs = append(p.errs, &Error{File: s.Pos.File, Pos: r.Pos, Msg: fmt.Sprintf("%q is expected both reached and spared", r.Value), Hint: "keep it in one of the lists"})
				}
			}
			for _, l := range x.MaxOutageDays {
				ix.resolve(p, s.Pos.File, l.ID.Pos, "max_outage_days id", l.ID.Value)
			}
			for _, r := range x.Strains {
				ix.resolve(p, s.Pos.File, r.Pos, "expected strained id", r.Value)
				if containsRef(x.Spares, r.Value) {
					p.errs = append(p.errs, &Error{File: s.Pos.File, Pos: r.Pos, Msg: fmt.Sprintf("%q is expected both strained and spared", r.Value),
						Hint: "spares means neither affected nor strained; keep it in one of the lists"})
				}
			}
			for _, l := range x.StockAlertAfter {
				n := ix.resolve(p, s.Pos.File, l.ID.Pos, "stock_alert_after id", l.ID.Value)
				if n != nil && (n.Kind != StockKind || n.Stock == nil) {
					hint := "stock_alert_after names a service of kind stock with stock: {days, alert}"
					if n.Kind == StockKind {
						hint = fmt.Sprintf("give %q stock: {days, alert}, or remove it here", n.ID)
					}
					p.errs = append(p.errs, &Error{File: s.Pos.File, Pos: l.ID.Pos, Msg: fmt.Sprintf("stock_alert_after: %q is not a stock", l.ID.Value), Hint: hint})
				}
			}
		}
	}
	if pol == nil {
		return
	}
	for _, x := range pol.Exceptions {
		if x.ID != "" {
			ix.resolve(p, pol.Pos.File, x.At("id"), "exception id", x.ID)
		}
	}
}

// checkAssume checks the controls added, the additions and the control removals of a
// scenario's assume against the model.
func checkAssume(m *Model, s *Scenario, ix *index, p *parser) {
	a := s.Assume
	for _, c := range a.Controls {
		n, _ := ix.lookup(c.ID.Value) // an unknown id is reported by the caller
		if n == nil {
			continue
		}
		for _, r := range c.Controls {
			if n.Has(r.Value) {
				p.errs = append(p.errs, &Error{File: s.Pos.File, Pos: r.Pos, Severity: SevWarning, Msg: fmt.Sprintf("controls: %q already has control %q; assuming it changes nothing", c.ID.Value, r.Value),
					Hint: fmt.Sprintf("the model gives it at %s; assume a control it lacks, or remove this one", n.At("controls"))})
			}
		}
	}
	for _, c := range a.RemoveControls {
		n := ix.resolve(p, s.Pos.File, c.ID.Pos, "remove_controls for", c.ID.Value)
		if n == nil {
			continue
		}
		for _, r := range c.Controls {
			if !n.Has(r.Value) {
				has := "it has none"
				if len(n.Controls) > 0 {
					has = "it has " + strings.Join(n.Controls, ", ")
				}
				p.errs = append(p.errs, &Error{File: s.Pos.File, Pos: r.Pos, Msg: fmt.Sprintf("remove_controls: %q has no control %q", c.ID.Value, r.Value),
					Hint: has + "; a removal must match a control of the model"})
			}
		}
	}
	if len(a.Remove)+len(a.Add)+len(a.Alternatives) > 0 {
		ix.deps(m)
	}
	// What the scenario starts from: the model's dependencies less those it
	// removes, then those it adds. Only what the scenario names is looked
	// at, through the index.
	removed := map[*Dependency]bool{}
	for _, r := range a.Remove {
		for _, d := range ix.removes(r) {
			removed[d] = true
		}
	}
	added := map[uint64]*Dependency{}
	var adds []*Dependency
	for _, d := range a.Add {
		if !checkDependency(p, ix, d) {
			continue
		}
		k := depKey(ix, d)
		if k != 0 {
			var first *Dependency
			for _, e := range ix.byKey.get(k) {
				if !removed[e] {
					first = e // the last, as a map written in file order holds
				}
			}
			if first == nil {
				first = added[k]
			}
			if first != nil {
				listedAgain(p, first, d)
				continue
			}
			added[k] = d
		}
		adds = append(adds, d)
	}
	// find returns the first dependency the scenario starts from, of the
	// pair from and to, that ok accepts.
	find := func(from, to string, ok func(*Dependency) bool) *Dependency {
		for _, d := range ix.byPair.get(ix.pairKey(from, to)) {
			if !removed[d] && ok(d) {
				return d
			}
		}
		for _, d := range adds {
			if d.From == from && d.To == to && ok(d) {
				return d
			}
		}
		return nil
	}
	for _, alt := range a.Alternatives {
		from := ix.resolve(p, s.Pos.File, alt.From.Pos, "alternatives from", alt.From.Value)
		to := ix.resolve(p, s.Pos.File, alt.To.Pos, "alternatives to", alt.To.Value)
		if from == nil || to == nil {
			continue
		}
		d := find(alt.From.Value, alt.To.Value, func(d *Dependency) bool { return d.Type.HasAlternatives() })
		if d == nil {
			hint := `add it under "add", or check the direction: from is the consumer`
			if e := find(alt.From.Value, alt.To.Value, func(*Dependency) bool { return true }); e != nil {
				hint = fmt.Sprintf("the dependency is of type %s; alternatives stand in for the provider of a service dependency", e.Type)
			}
			p.errs = append(p.errs, &Error{File: s.Pos.File, Pos: alt.Pos, Msg: fmt.Sprintf("alternatives: no service dependency of %q on %q", alt.From.Value, alt.To.Value), Hint: hint})
			continue
		}
		for k, r := range alt.Add {
			switch {
			case r.Value == d.To:
				p.errs = append(p.errs, &Error{File: s.Pos.File, Pos: r.Pos, Msg: fmt.Sprintf("alternative %q is the provider itself", r.Value), Hint: "list other providers that can stand in for it"})
			case r.Value == d.From:
				p.errs = append(p.errs, &Error{File: s.Pos.File, Pos: r.Pos, Msg: fmt.Sprintf("alternative %q is the consumer itself", r.Value), Hint: "list other providers that can stand in for the provider"})
			case containsRef(alt.Add[:k], r.Value):
				p.errs = append(p.errs, &Error{File: s.Pos.File, Pos: r.Pos, Msg: fmt.Sprintf("alternative %q is listed twice", r.Value), Hint: "remove the repeat"})
			case ix.resolve(p, s.Pos.File, r.Pos, "alternative", r.Value) == nil:
			case slices.Contains(d.Alternatives, r.Value):
				p.errs = append(p.errs, &Error{File: s.Pos.File, Pos: r.Pos, Severity: SevWarning, Msg: fmt.Sprintf("%q is already an alternative to %q for %q; adding it adds nothing", r.Value, d.To, d.From),
					Hint: fmt.Sprintf("see %s", d.Pos)})
			}
		}
	}
}

// Matches reports whether the removal applies to d.
func (r Removal) Matches(d *Dependency) bool {
	if r.Type != "" && d.Type != r.Type {
		return false
	}
	if d.From == r.From.Value && d.To == r.To.Value {
		return true
	}
	return d.Type.BothWays() && d.From == r.To.Value && d.To == r.From.Value
}

// ParseScenarios reads a file of scenarios and policies ("check --scenarios")
// and checks it against the model m, whose own scenarios and policies it
// replaces in the returned copy.
func ParseScenarios(m *Model, name string, src []byte, lim Limits) (*Model, error) {
	p := newParser(name, lim)
	root := p.document(src, lim)
	if root == nil {
		return nil, p.finish()
	}
	e, _ := p.objectExt(root, "the scenarios file", scenarioTop, true)
	if v := e.get("version"); v != nil {
		if ver, ok := p.integer(v, "version", 0, 1<<30); ok && ver != 1 {
			p.errorf(v, "this blastradius reads version 1", "unsupported version %d", ver)
		}
	}
	out := *m
	out.Scenarios = p.scenarios(e.get("scenarios"))
	out.Policies = nil
	if v := e.get("policies"); v != nil && !isNull(v) {
		out.Policies = p.policies(v)
	}
	if err := p.finish(); err != nil {
		return nil, err
	}
	checkScenarios(&out, out.Scenarios, out.Policies, newIndex(&out, nil), p)
	if err := p.finish(); err != nil {
		return nil, err
	}
	out.Warnings = append(append(ErrorList{}, m.Warnings...), p.errs.Warnings()...)
	return &out, nil
}

// roles picks nodes by class, role or kind; an empty field matches any.
type roles struct {
	Name  string // for the docs
	Class Class
	Role  Role
	Kind  string
}

func (r roles) match(n *Node, k Kind) bool {
	return (r.Class == "" || r.Class == n.Class) && (r.Role == "" || r.Role == k.Role) && (r.Kind == "" || r.Kind == n.Kind)
}

// A directionRule says that a dependency of one of Types from a node of one
// of From to a node of one of To is far more likely written the wrong way
// round than meant: the provider and consumer are swapped.
type directionRule struct {
	Types    []Relation
	From, To []roles
}

var (
	networkSvc = roles{Name: "a network service", Class: ClassService, Role: RoleNetwork}
	clinical   = roles{Name: "a clinical organisation", Class: ClassOrganisation, Role: RoleClinical}
	supplier   = roles{Name: "a supplier", Class: ClassOrganisation, Role: RoleSupplier}
	entryWay   = roles{Name: "an entry service (identity, remote access)", Class: ClassService, Role: RoleEntry}
	platform   = roles{Name: "a platform service (hosting)", Class: ClassService, Role: RolePlatform}
	app        = roles{Name: "an application service", Class: ClassService, Role: RoleApplication}
)

// directionRules is the table behind the direction warnings; docs/model.md
// restates it (DirectionTable).
var directionRules = []directionRule{
	// Organisations use shared services; a shared service does not need what
	// a clinical organisation delivers, nor does a supplier, nor does a
	// trust hold a service's data.
	{Types: []Relation{Service, Data}, From: []roles{app, entryWay, platform, networkSvc, supplier}, To: []roles{clinical}},
	// A platform does not need an application that runs on it, nor does
	// a way in (sign-in, remote access) need the applications it lets
	// people into.
	{Types: []Relation{Service, Data}, From: []roles{platform, entryWay}, To: []roles{app}},
	// Identity, remote access and suppliers are the ways in: they have
	// access into platforms and organisations, not the reverse.
	{Types: []Relation{Access}, From: []roles{entryWay, supplier}, To: []roles{platform, clinical}},
	// A hosting platform, or a supplier, does not run on a clinical
	// organisation; a platform does not run on an application.
	{Types: []Relation{Hosting}, From: []roles{platform, supplier}, To: []roles{clinical}},
	{Types: []Relation{Hosting}, From: []roles{platform}, To: []roles{app}},
}

// UnlikelyDirection reports whether a dependency of type t from the node
// from to the node to is more likely written the wrong way round than meant,
// by the direction rules; only the class and kind of the nodes matter.
func UnlikelyDirection(t Relation, from, to *Node) bool {
	fk, _ := KindOf(from.Class, from.Kind)
	tk, _ := KindOf(to.Class, to.Kind)
	for _, r := range directionRules {
		if !slices.Contains(r.Types, t) {
			continue
		}
		if slices.ContainsFunc(r.From, func(x roles) bool { return x.match(from, fk) }) &&
			slices.ContainsFunc(r.To, func(x roles) bool { return x.match(to, tk) }) {
			return true
		}
	}
	return false
}

// warnDirection warns of a dependency whose kinds make its direction
// unlikely (UnlikelyDirection).
func warnDirection(p *parser, d *Dependency, from, to *Node) {
	fk, _ := KindOf(from.Class, from.Kind)
	tk, _ := KindOf(to.Class, to.Kind)
	says := fmt.Sprintf(d.Type.Info().Reading, d.From, d.To)
	p.addIn(d.Pos.File, SevWarning, d.Pos,
		fmt.Sprintf("%s dependency from the %s %q to the %s %q says %s: unlikely this way round", d.Type, fk.Singular, d.From, tk.Singular, d.To, says),
		fmt.Sprintf(`did you mean {from: %s, to: %s, type: %s}? "from" is the consumer: it depends on "to"`, d.To, d.From, d.Type))
}
