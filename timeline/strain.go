package timeline

import (
	"math"
	"slices"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// Strain: mutual aid and shared stocks. A model without aid links or
// stocks never builds any of this, and the engine runs exactly as
// without it.
//
// An aid link from consumer C to helper H is idle until C's providers of
// H's kind are short; from `after` days after they first are, H fills
// the shortfall, first from its headroom (free), then from up to `shed`
// of its own work, which H's own consumers then miss. A helper gives to
// every consumer it helps in proportion to their shortfall, and nothing
// on a day it is itself below 1. One unit of a helper's work fills one
// unit of a consumer's shortfall: both are fractions of normal work.
//
// A stock runs down instead of failing: its level, in days of normal
// demand, starts at `days` and falls each day by what the surging
// consumers draw above normal (share × (factor − 1) each, while their
// `when` is short); it never rises above `days` and an empty stock stays
// at 0. Below `alert` the stock and its consumers are strained.

// strainIndex is, by node, the aid links it is the consumer of and the
// surges that name it in `when`: what collect follows beyond the outage
// arcs. It is built once per engine, and only for a model with either.
type strainIndex struct {
	aidBy   map[int32][]int // by consumer node: dependency indices with aid
	surgeBy map[int32][]int // by `when` node: dependency indices with surge
}

func newStrainIndex(g interface {
	Model() *model.Model
	Index(string) (int32, bool)
}) *strainIndex {
	var ix *strainIndex
	for di, d := range g.Model().Dependencies {
		if d.Aid == nil && d.Surge == nil {
			continue
		}
		if ix == nil {
			ix = &strainIndex{aidBy: map[int32][]int{}, surgeBy: map[int32][]int{}}
		}
		if d.Aid != nil {
			if c, ok := g.Index(d.From); ok {
				ix.aidBy[c] = append(ix.aidBy[c], di)
			}
		}
		if d.Surge != nil {
			if w, ok := g.Index(d.Surge.When.Value); ok {
				ix.surgeBy[w] = append(ix.surgeBy[w], di)
			}
		}
	}
	return ix
}

// strain is the state of aid and stocks for one collected timeline.
type strain struct {
	groups   []group
	aids     []aidLink
	helpers  []helper
	helperOf []int32   // by place: its index in helpers, or -1
	groupsOf [][]int32 // by place: the groups it is the consumer of
	// linkGroup is, parallel to the engine's links, the group a link
	// belongs to (its provider is of the kind of an aid link of its
	// consumer), or -1.
	linkGroup []int32
	stocks    []stockRun
	// strained is, by place, whether it is strained today; hist holds
	// every day's, by day and place, when the engine keeps days; cause
	// is, by place, the helpers and stocks (places) that strain it.
	strained []bool
	hist     []bool
	round    int // the round of the day being computed
	cause    [][]int32
}

// group is a consumer's providers of one kind, which aid links of that
// kind stand in for.
type group struct {
	cons  int32
	kind  string
	prod  float64 // today: the product of its links, before aid
	given float64 // today: the aid it receives
	first int     // the first day it was short, or -1
	aids  []int32
}

type aidLink struct {
	group    int32
	helper   int32 // index in helpers
	after    int
	days     int // how long it helps from its first day of help; 0: as long as needed
	headroom float64
	shed     float64
}

type helper struct {
	place int32
	aids  []int32
	shed  float64 // today: the fraction of its own work it gives up
	prev  float64 // its shed the day before
	// base is today's capacity before the day's aid and shed: what it
	// has to give, and what it keeps (its shed must not come back round
	// to it through its operator or its own consumers).
	base float64
	hist []float64 // its shed on each day before today
	// consumers are the places that read it, with their buffer.
	consumers []out
}

type stockRun struct {
	place       int32
	days, alert float64
	surges      []surgeRun
	level       []float64 // by day: the level at the start of the day
	consumers   []int32
}

type surgeRun struct {
	when  int32
	extra float64 // share × (factor − 1)
}

// followStrain adds the helpers of node u, if it is a consumer of aid
// links, and the stocks whose surges name it.
func (e *engine) followStrain(u int32) {
	if e.six == nil {
		return
	}
	deps := e.g.Model().Dependencies
	for _, di := range e.six.aidBy[u] {
		if h, ok := e.g.Index(deps[di].To); ok {
			e.add(h)
		}
	}
	for _, di := range e.six.surgeBy[u] {
		if s, ok := e.g.Index(deps[di].To); ok {
			e.add(s)
		}
	}
}

// buildStrain sets e.st from the places collected: nil when no aid link
// and no stock's surge is among them.
func (e *engine) buildStrain() {
	e.st = nil
	if e.six == nil {
		return
	}
	g, deps := e.g, e.g.Model().Dependencies
	n := len(e.nodes)
	st := &strain{}
	get := func() *strain {
		if st.helperOf == nil {
			st.helperOf = make([]int32, n)
			for i := range st.helperOf {
				st.helperOf[i] = -1
			}
			st.groupsOf = make([][]int32, n)
		}
		return st
	}
	for i, u := range e.nodes {
		for _, di := range e.six.aidBy[u] {
			d := deps[di]
			hv, _ := g.Index(d.To)
			hp := e.placeOf(hv)
			if hp < 0 || hp == int32(i) {
				continue
			}
			s := get()
			kind := g.Node(hv).Kind
			gi := int32(-1)
			for _, k := range s.groupsOf[i] {
				if s.groups[k].kind == kind {
					gi = k
				}
			}
			if gi < 0 {
				gi = int32(len(s.groups))
				s.groups = append(s.groups, group{cons: int32(i), kind: kind, first: -1})
				s.groupsOf[i] = append(s.groupsOf[i], gi)
			}
			h := s.helperOf[hp]
			if h < 0 {
				h = int32(len(s.helpers))
				s.helpers = append(s.helpers, helper{place: hp})
				s.helperOf[hp] = h
			}
			a := int32(len(s.aids))
			s.aids = append(s.aids, aidLink{group: gi, helper: h, after: d.Aid.After, days: d.Aid.For, headroom: d.Aid.Headroom, shed: d.Aid.Shed})
			s.groups[gi].aids = append(s.groups[gi].aids, a)
			s.helpers[h].aids = append(s.helpers[h].aids, a)
		}
	}
	// Stocks: every stock a surge of a collected `when` draws on.
	stockOf := map[int32]int{}
	for i, u := range e.nodes {
		for _, di := range e.six.surgeBy[u] {
			d := deps[di]
			sv, _ := g.Index(d.To)
			sp := e.placeOf(sv)
			nd := g.Node(sv)
			if sp < 0 || nd.Stock == nil {
				continue
			}
			s := get()
			k, ok := stockOf[sp]
			if !ok {
				k = len(s.stocks)
				stockOf[sp] = k
				s.stocks = append(s.stocks, stockRun{place: sp, days: nd.Stock.Days, alert: nd.Stock.Alert})
			}
			s.stocks[k].surges = append(s.stocks[k].surges, surgeRun{when: int32(i), extra: d.Surge.Share * (d.Surge.Factor - 1)})
		}
	}
	if st.helperOf == nil {
		return
	}
	st.linkGroup = make([]int32, len(e.links))
	for c := range n {
		for j := e.off[c]; j < e.off[c+1]; j++ {
			st.linkGroup[j] = -1
			l := e.links[j]
			kind := g.Node(e.nodes[l.from]).Kind
			for _, k := range st.groupsOf[c] {
				// Every provider of the group's kind counts, a helper of
				// someone else too: aid links themselves are no links.
				if st.groups[k].kind == kind {
					st.linkGroup[j] = k
				}
			}
			if h := st.helperOf[l.from]; h >= 0 {
				st.helpers[h].consumers = append(st.helpers[h].consumers, out{int32(c), l.buffer})
			}
			for k := range st.stocks {
				if st.stocks[k].place == l.from {
					st.stocks[k].consumers = append(st.stocks[k].consumers, int32(c))
				}
			}
		}
	}
	st.strained = make([]bool, n)
	st.cause = make([][]int32, n)
	e.st = st
}

// reset readies the state for a run.
func (st *strain) reset() {
	for k := range st.groups {
		st.groups[k].first, st.groups[k].given = -1, 0
	}
	for h := range st.helpers {
		st.helpers[h].shed = 0
		st.helpers[h].hist = st.helpers[h].hist[:0]
	}
	for k := range st.stocks {
		s := &st.stocks[k]
		s.level = append(s.level[:0], s.days)
	}
	st.hist = st.hist[:0]
	for i := range st.cause {
		st.cause[i] = st.cause[i][:0]
	}
}

// shedAt is helper h's shed on day t (today's while it is computed).
func (st *strain) shedAt(h int32, t int) float64 {
	hp := &st.helpers[h]
	if t < len(hp.hist) {
		return hp.hist[t]
	}
	return hp.shed
}

// prevShed is what helper h shed the day before t, 0 on day 0.
func (st *strain) prevShed(h int32, t int) float64 {
	if t == 0 {
		return 0
	}
	return st.helpers[h].prev
}

// strainValue is value with aid: a helper's consumers read it less what
// it sheds, and a consumer's group of providers of a helper's kind gets
// the aid it is given on top of what they supply, up to 1.
func (e *engine) strainValue(t int, i int32) float64 {
	st := e.st
	if h := st.helperOf[i]; h >= 0 && st.round > 0 {
		return st.helpers[h].base
	}
	gs := st.groupsOf[i]
	for _, k := range gs {
		st.groups[k].prod = 1
	}
	v := 1.0
	if e.comp[i] {
		if v = e.curve[i].at(t); v == 0 {
			return 0
		}
	}
	for j := e.off[i]; j < e.off[i+1]; j++ {
		l := &e.links[j]
		tau := t - int(l.buffer)
		if tau < 0 {
			continue
		}
		s := e.at(tau, l.from)
		if h := st.helperOf[l.from]; h >= 0 {
			s *= 1 - st.shedAt(h, tau)
		}
		s = e.covered(tau, l.alts, s)
		f := 1 - l.share*(1-s)
		if k := st.linkGroup[j]; k >= 0 {
			st.groups[k].prod *= f
			continue
		}
		v *= f
	}
	for _, k := range gs {
		grp := &st.groups[k]
		v *= min(1, grp.prod+grp.given)
	}
	switch {
	case v < eps:
		return 0
	case v > 1-nearOne:
		return 1
	}
	return v
}

// strainDay computes day t with aid and stocks: every part, providers
// first, with the aid and shed of the day found by a few rounds (the
// shortfall that aid fills is its consumers' before aid, so one round
// settles it unless helpers and those they help read each other on the
// same day).
func (e *engine) strainDay(t int, row []float64) {
	st := e.st
	for k := range st.groups {
		st.groups[k].given = 0
	}
	for h := range st.helpers {
		st.helpers[h].prev, st.helpers[h].shed = st.helpers[h].shed, 0
	}
	given := make([]float64, len(st.groups))
	shed := make([]float64, len(st.helpers))
	for round := 0; ; round++ {
		st.round = round
		for k := 0; k+1 < len(e.part); k++ {
			e.compute(t, int32(k), row)
			if t == 0 {
				continue
			}
			// As without strain: a change too small to matter keeps
			// yesterday's value.
			prev := e.ring[(t-1)&e.mask]
			for _, i := range e.order[e.part[k]:e.part[k+1]] {
				if math.Abs(row[i]-prev[i]) <= still {
					row[i] = prev[i]
				}
			}
		}
		if round == 0 {
			for h := range st.helpers {
				st.helpers[h].base = row[st.helpers[h].place]
			}
		}
		if round == 4 {
			break
		}
		st.allocate(t, row, given, shed)
		same := true
		for k := range st.groups {
			same = same && given[k] == st.groups[k].given
			st.groups[k].given = given[k]
		}
		for h := range st.helpers {
			same = same && shed[h] == st.helpers[h].shed
			st.helpers[h].shed = shed[h]
		}
		if same {
			break
		}
	}
	e.short = 0
	for _, c := range row {
		if c < 1 {
			e.short++
		}
	}
	// Who is strained today.
	clear(st.strained)
	mark := func(i, by int32) {
		st.strained[i] = true
		if e.keep && !containsPlace(st.cause[i], by) {
			st.cause[i] = append(st.cause[i], by)
		}
	}
	for h := range st.helpers {
		hp := &st.helpers[h]
		if hp.shed > 0 {
			mark(hp.place, hp.place)
		}
		for _, o := range hp.consumers {
			if tau := t - int(o.buffer); tau >= 0 && st.shedAt(int32(h), tau) > 0 {
				mark(o.to, hp.place)
			}
		}
	}
	for k := range st.stocks {
		s := &st.stocks[k]
		level := s.level[t]
		if level < s.alert {
			mark(s.place, s.place)
			for _, c := range s.consumers {
				mark(c, s.place)
			}
		}
		draw := 0.0
		for _, u := range s.surges {
			if row[u.when] < 1 {
				draw += u.extra
			}
		}
		s.level = append(s.level, max(0, min(s.days, level-draw)))
	}
	for h := range st.helpers {
		st.helpers[h].hist = append(st.helpers[h].hist, st.helpers[h].shed)
	}
	if e.keep {
		st.hist = append(st.hist, st.strained...)
	}
}

func containsPlace(s []int32, x int32) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// allocate finds the day's aid: each group's shortfall before aid, filled
// by the helpers of its active aid links, first from their headroom, then
// from what they shed, each helper giving to the groups it helps in
// proportion to what they still lack. A helper's headroom and shed are the
// largest its active links give.
func (st *strain) allocate(t int, row []float64, given, shed []float64) {
	lack := make([]float64, len(st.groups))
	for k := range st.groups {
		grp := &st.groups[k]
		if short := 1 - grp.prod; short > eps {
			if grp.first < 0 || grp.first > t {
				grp.first = t
			}
			lack[k] = short
		}
	}
	active := func(a *aidLink) bool {
		grp := &st.groups[a.group]
		return lack[a.group] > 0 && grp.first >= 0 && t-grp.first >= a.after && (a.days == 0 || t-grp.first < a.after+a.days)
	}
	clear(shed)
	for phase := range 2 {
		for h := range st.helpers {
			hp := &st.helpers[h]
			if prev := st.prevShed(int32(h), t); hp.base < 1-prev-eps {
				// A helper short itself gives nothing: short, that is,
				// before it helps (its base, the day's first round), by
				// more than what its own shedding of the day before cost
				// it (an operator that relies on its own laboratory).
				continue
			}
			pool, want := 0.0, 0.0
			for _, ai := range hp.aids {
				a := &st.aids[ai]
				if !active(a) {
					continue
				}
				if phase == 0 {
					pool = max(pool, a.headroom)
				} else {
					pool = max(pool, a.shed)
				}
				want += lack[a.group]
			}
			if pool <= 0 || want <= 0 {
				continue
			}
			give := min(pool, want)
			for _, ai := range hp.aids {
				a := &st.aids[ai]
				if active(a) {
					lack[a.group] -= give * lack[a.group] / want
				}
			}
			if phase == 1 {
				shed[h] = give
			}
		}
	}
	for k := range st.groups {
		grp := &st.groups[k]
		short := 1 - grp.prod
		if short <= eps {
			given[k] = 0
			continue
		}
		given[k] = max(0, short-lack[k])
	}
}

// Strain is a node strained on some day: a helper that sheds its own work,
// a consumer of one, a stock below its alert or a consumer of one.
type Strain struct {
	ID    string      `json:"id"`
	Name  string      `json:"name"`
	Kind  string      `json:"kind"`
	Class model.Class `json:"class"`
	ICB   string      `json:"icb,omitempty"`
	// From is the first day strained; Days the days strained in all;
	// Until the day from which it is strained no more, or nil if it is
	// strained at the horizon.
	From  int  `json:"from"`
	Days  int  `json:"days"`
	Until *int `json:"until"`
	// By are the helpers and stocks that strain it, by id.
	By        []string `json:"by"`
	FromDate  string   `json:"from_date,omitempty"`
	UntilDate string   `json:"until_date,omitempty"`
}

// StockLevel is a stock's level day by day.
type StockLevel struct {
	ID    string  `json:"id"`
	Name  string  `json:"name"`
	Days  float64 `json:"days"`
	Alert float64 `json:"alert"`
	// Level is the level at the start of each day, in days of normal
	// demand, from day 0.
	Level []float64 `json:"level"`
	// AlertDay is the first day the level is below the alert, or nil if
	// it is not within the horizon.
	AlertDay  *int   `json:"alert_day"`
	AlertDate string `json:"alert_date,omitempty"`
}

// fillStrain adds the strained nodes and the stocks to the result.
func (tl *Timeline) fillStrain(e *engine) {
	st := e.st
	if st == nil {
		return
	}
	g, n := e.g, len(e.nodes)
	byID := map[string]*Node{}
	for _, nd := range tl.Nodes {
		byID[nd.ID] = nd
	}
	tl.Strained = []*Strain{}
	for i, v := range e.nodes {
		s := &Strain{From: -1}
		last := -1
		for t := range e.days {
			if st.hist[t*n+i] {
				if s.From < 0 {
					s.From = t
				}
				s.Days++
				last = t
			}
		}
		if s.From < 0 {
			continue
		}
		nd := g.Node(v)
		s.ID, s.Name, s.Kind, s.Class, s.ICB = nd.ID, nd.Name, nd.Kind, nd.Class, nd.ICB
		if last+1 < e.days {
			u := last + 1
			s.Until = &u
			s.UntilDate = tl.Date(u)
		}
		s.FromDate = tl.Date(s.From)
		s.By = []string{}
		for _, c := range st.cause[i] {
			s.By = append(s.By, g.Node(e.nodes[c]).ID)
		}
		slices.Sort(s.By)
		tl.Strained = append(tl.Strained, s)
		if nd.Class == model.ClassOrganisation {
			tl.Totals.Strained++
		}
		if short := byID[nd.ID]; short != nil {
			short.Effects = append(short.Effects, graph.Strained)
		}
	}
	var orgs []string
	for _, s := range tl.Strained {
		if s.Class == model.ClassOrganisation {
			orgs = append(orgs, s.ID)
		}
	}
	if len(orgs) > 0 {
		if people, _, err := g.People(orgs); err == nil {
			tl.Totals.StrainedPeople = people
		}
	}
	slices.SortFunc(tl.Strained, func(a, b *Strain) int {
		if a.From != b.From {
			return a.From - b.From
		}
		return strings.Compare(a.ID, b.ID)
	})
	tl.Stocks = []*StockLevel{}
	for k := range st.stocks {
		s := &st.stocks[k]
		nd := g.Node(e.nodes[s.place])
		out := &StockLevel{ID: nd.ID, Name: nd.Name, Days: s.days, Alert: s.alert, Level: slices.Clone(s.level[:e.days])}
		for t, l := range out.Level {
			if l < s.alert {
				d := t
				out.AlertDay = &d
				out.AlertDate = tl.Date(d)
				break
			}
		}
		tl.Stocks = append(tl.Stocks, out)
	}
	slices.SortFunc(tl.Stocks, func(a, b *StockLevel) int { return strings.Compare(a.ID, b.ID) })
}
