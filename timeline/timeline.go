// Package timeline says how long a compromise lasts and how much work it
// costs: the capacity of every node, from 0 (it delivers nothing) to 1
// (normal), day by day from the attack (day 0) to a horizon, and from it
// the days each organisation spends short, the day it is back and the
// activity it loses.
//
// Capacities are, day by day, the greatest fixed point of these rules:
//
//   - A compromised node in ransomware mode follows its restore schedule
//     (linear between points, 0 before the first, 1 after the last), or is
//     0 until its likely recovery and 1 from then, times the product below
//     for its own providers. Without either it stays at 0, and the result
//     says that no recovery was given. In exfiltration mode nothing is
//     short.
//   - Every other node: the product, over its links that carry an outage
//     (in the relation declaration: an operator, hosting, and service
//     dependencies, critical or not), of 1 − share × (1 − supply), where
//     supply is the provider's capacity buffer days earlier (1 before day
//     0) or, if higher, what an alternative gives: the smaller of 0.5 and
//     its own capacity that day. Operator and hosting links have share 1;
//     an operator link has no buffer.
//   - Inside a cycle of links that act on the same day (no buffer), a node
//     at 0 takes down every member that needs it fully, and the other
//     members read each other's capacity as the rest of the model leaves
//     it: a shortfall crosses the cycle once instead of compounding around
//     it (the greatest fixed point would let two organisations that need
//     each other fully spiral each other down to 0 though neither is down).
//     A capacity that moves by less than 1e-8 in a day is taken as still,
//     and one within 1e-6 of 1 as back to 1.
//   - An aid link (a dependency with aid) is no need: it makes its
//     provider a helper that, from `after` days after the consumer's
//     providers of its kind are first short, fills their shortfall from
//     its headroom, then from up to `shed` of its own work, which its own
//     consumers then miss (see strain.go). A stock runs down while its
//     surging consumers' `when` is short. Helpers that shed, their
//     consumers, and stocks below their alert with every consumer of them
//     are strained. A model without either runs exactly as without them.
//
// With every default (share 1 for a critical dependency, 0.5 for one that
// is not, no buffers), the nodes at 0 on day 0 are exactly those that the
// worst case of package graph puts down, and its degraded nodes are below
// 1. A run touches the compromised nodes and those downstream of them
// only: its cost is what it touches times the days, not the model's size.
package timeline

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// MaxHorizon is the most days a timeline runs when no horizon is given.
const MaxHorizon = 365

// Options say what a timeline assumes; the zero value is a ransomware
// compromise followed until every node is back.
type Options struct {
	Mode model.Mode
	// Horizon is the number of days (day 0 to Horizon-1); 0 means until
	// every node is back to 1, at most MaxHorizon.
	Horizon int
	// Start is the date of day 0 (YYYY-MM-DD), or empty.
	Start string
	// Scenario names the scenario, if the timeline is one.
	Scenario string
	// Crews, if above 0, restores at most that many compromised nodes at
	// once, in the order that loses least (see Crews).
	Crews int
}

// Timeline is the capacity of every node a compromise makes short, and
// what that costs.
type Timeline struct {
	Model    string     `json:"model"`
	Scenario string     `json:"scenario,omitempty"`
	Seeds    []string   `json:"seeds"`
	Mode     model.Mode `json:"mode"`
	// Horizon is the number of days computed: day 0 to Horizon-1.
	Horizon int    `json:"horizon"`
	Start   string `json:"start,omitempty"`
	// Nodes are every node below 1 on some day, organisations and
	// services, by first day short, then id.
	Nodes []*Node `json:"nodes"`
	// NoRecovery lists the compromised nodes the model gives no recovery
	// or restore schedule: they stay at 0 to the horizon.
	NoRecovery []string `json:"no_recovery"`
	// ICBs add up organisations by the ICB they belong to.
	ICBs   []*Group `json:"icbs"`
	Totals Totals   `json:"totals"`
	// Weeks, when asked for (Weekly), add up each week.
	Weeks []*Week `json:"weeks,omitzero"`
	// RestoreOrder, with crews, is the order that loses least.
	RestoreOrder []Restore `json:"restore_order,omitzero"`
	Crews        *Crews    `json:"crews,omitempty"`
	Samples      *Samples  `json:"samples,omitempty"`
	// Strained, in a model with aid links or stocks that the compromise
	// draws in, are the nodes strained on some day, by first day
	// strained, then id; Stocks are those stocks' levels, by id.
	Strained []*Strain     `json:"strained,omitzero"`
	Stocks   []*StockLevel `json:"stocks,omitzero"`

	start time.Time
	g     *graph.Graph
	asked int // the horizon asked for
}

// Node is one node's days.
type Node struct {
	ID    string      `json:"id"`
	Name  string      `json:"name"`
	Kind  string      `json:"kind"`
	Class model.Class `json:"class"`
	ICB   string      `json:"icb,omitempty"`
	// Capacity is the node's capacity on each day, from day 0.
	Capacity []float64 `json:"capacity"`
	// FirstShort is the first day below 1.
	FirstShort    int `json:"first_short"`
	DaysAtZero    int `json:"days_at_zero"`
	DaysBelowHalf int `json:"days_below_half"`
	// Back is the day from which it stays at 1, or nil if it is not back
	// within the horizon.
	Back            *int    `json:"back"`
	ServiceDaysLost float64 `json:"service_days_lost"`
	// ActivityLost is, by unit, the activity it does not do: its
	// baseline per day times (1 − capacity), added over the days.
	ActivityLost map[string]float64 `json:"activity_lost"`
	// Effects are what the worst case says of the node; empty for a node
	// that only the finer passing on of a shortfall reaches.
	Effects []graph.Effect `json:"effects"`
	// Dates, with a start date: the first day short and the day back.
	FirstShortDate string `json:"first_short_date,omitempty"`
	BackDate       string `json:"back_date,omitempty"`

	patients int64
	activity []model.Activity
}

// Group adds up organisations: those of one ICB, or all of them.
type Group struct {
	// ID is the ICB's id; empty for organisations that belong to none.
	ID              string             `json:"id"`
	Organisations   int                `json:"organisations"`
	ServiceDaysLost float64            `json:"service_days_lost"`
	ActivityLost    map[string]float64 `json:"activity_lost"`
}

// Totals add up every organisation short (services are left out: their
// loss is their consumers').
type Totals struct {
	Organisations   int                `json:"organisations"`
	Services        int                `json:"services"`
	ServiceDaysLost float64            `json:"service_days_lost"`
	ActivityLost    map[string]float64 `json:"activity_lost"`
	// Strained counts the organisations strained on some day.
	Strained int `json:"strained,omitempty"`
	// StrainedPeople counts the people the strained organisations serve,
	// each once, as reach counts people: a floor.
	StrainedPeople int64 `json:"strained_people,omitempty"`
	// Back is the day every node is back to 1, or nil if not within the
	// horizon.
	Back     *int   `json:"back"`
	BackDate string `json:"back_date,omitempty"`
}

// Compute runs the timeline of compromising the seeds.
func Compute(g *graph.Graph, seeds []string, opt Options) (*Timeline, error) {
	mode, err := graph.CheckMode(opt.Mode)
	if err != nil {
		return nil, err
	}
	idx, err := g.Resolve(seeds)
	if err != nil {
		return nil, err
	}
	if opt.Horizon < 0 {
		return nil, fmt.Errorf("horizon: %d days is below 0", opt.Horizon)
	}
	tl := &Timeline{Model: g.Model().Name, Scenario: opt.Scenario, Mode: mode, Start: opt.Start, g: g, asked: opt.Horizon}
	if opt.Start != "" {
		if tl.start, err = time.Parse(time.DateOnly, opt.Start); err != nil {
			return nil, fmt.Errorf("start %q: not a date (use YYYY-MM-DD)", opt.Start)
		}
	}
	for _, v := range idx {
		tl.Seeds = append(tl.Seeds, g.Node(v).ID)
	}
	if opt.Crews < 0 {
		return nil, fmt.Errorf("crews: %d is below 0", opt.Crews)
	}
	e := newEngine(g)
	e.collect(idx, mode, nil, 0)
	if opt.Crews > 0 {
		p := &planner{e: e, horizon: opt.Horizon, crews: opt.Crews, places: e.restorable()}
		order, cr := p.plan()
		p.schedule(order)
		tl.Crews = cr
		tl.RestoreOrder = []Restore{}
		for _, i := range order {
			c := &e.curve[i]
			tl.RestoreOrder = append(tl.RestoreOrder, Restore{ID: g.Node(e.nodes[i]).ID, Start: c.start, Finish: c.start + c.length()})
		}
	}
	e.keep = true // every day, for the result
	e.run(opt.Horizon)
	tl.fill(e)
	return tl, nil
}

// Date is day d as a date, or empty without a start date.
func (tl *Timeline) Date(d int) string {
	if tl.start.IsZero() {
		return ""
	}
	return tl.start.AddDate(0, 0, d).Format(time.DateOnly)
}

// fill turns the engine's days into the result.
func (tl *Timeline) fill(e *engine) {
	g := e.g
	tl.Horizon = e.days
	tl.Nodes, tl.NoRecovery = []*Node{}, []string{}
	n := len(e.nodes)
	for i, v := range e.nodes {
		nd := g.Node(v)
		if e.comp[i] && !e.curve[i].given {
			tl.NoRecovery = append(tl.NoRecovery, nd.ID)
		}
		out := &Node{ID: nd.ID, Name: nd.Name, Kind: nd.Kind, Class: nd.Class, ICB: nd.ICB, FirstShort: -1,
			Capacity: make([]float64, e.days), ActivityLost: map[string]float64{}, patients: nd.Patients, activity: nd.Activity}
		last := -1
		for t := range e.days {
			c := e.hist[t*n+i]
			out.Capacity[t] = c
			if c < 1 {
				if out.FirstShort < 0 {
					out.FirstShort = t
				}
				last = t
				out.ServiceDaysLost += 1 - c
			}
			if c == 0 {
				out.DaysAtZero++
			}
			if c < 0.5 {
				out.DaysBelowHalf++
			}
		}
		if out.FirstShort < 0 {
			continue
		}
		if last+1 < e.days {
			b := last + 1
			out.Back = &b
			out.BackDate = tl.Date(b)
		}
		out.FirstShortDate = tl.Date(out.FirstShort)
		for _, a := range nd.Activity {
			out.ActivityLost[a.Unit] += a.PerDay * out.ServiceDaysLost
		}
		out.Effects = e.sets.Effects(v)
		if out.Effects == nil {
			out.Effects = []graph.Effect{}
		}
		tl.Nodes = append(tl.Nodes, out)
	}
	slices.Sort(tl.NoRecovery)
	slices.SortFunc(tl.Nodes, func(a, b *Node) int {
		if a.FirstShort != b.FirstShort {
			return a.FirstShort - b.FirstShort
		}
		return strings.Compare(a.ID, b.ID)
	})
	tl.Totals = Totals{ActivityLost: map[string]float64{}}
	icbs := map[string]*Group{}
	for _, nd := range tl.Nodes {
		if nd.Class != model.ClassOrganisation {
			tl.Totals.Services++
			continue
		}
		key := nd.ICB
		if nd.Kind == "icb" && key == "" {
			key = nd.ID
		}
		// A regional organisation counts in each ICB it serves, with its
		// share of the losses there.
		keys, parts := icbParts(g, nd.ID, key)
		for k, key := range keys {
			grp := icbs[key]
			if grp == nil {
				grp = &Group{ID: key, ActivityLost: map[string]float64{}}
				icbs[key] = grp
			}
			grp.Organisations++
			grp.ServiceDaysLost += nd.ServiceDaysLost * parts[k]
			for u, x := range nd.ActivityLost {
				grp.ActivityLost[u] += x * parts[k]
			}
		}
		tl.Totals.Organisations++
		tl.Totals.ServiceDaysLost += nd.ServiceDaysLost
		for u, x := range nd.ActivityLost {
			tl.Totals.ActivityLost[u] += x
		}
	}
	tl.ICBs = []*Group{}
	for _, k := range slices.Sorted(maps.Keys(icbs)) {
		if k != "" {
			tl.ICBs = append(tl.ICBs, icbs[k])
		}
	}
	if grp := icbs[""]; grp != nil { // those of no ICB come last
		tl.ICBs = append(tl.ICBs, grp)
	}
	if e.lastShort+1 < e.days {
		b := e.lastShort + 1
		tl.Totals.Back = &b
		tl.Totals.BackDate = tl.Date(b)
	}
	tl.fillStrain(e)
}

// Units returns every unit of activity the timeline's organisations
// lose, sorted.
func (tl *Timeline) Units() []string {
	return slices.Sorted(maps.Keys(tl.Totals.ActivityLost))
}

// Of returns the node with the id, or nil if it is never short.
func (tl *Timeline) Of(id string) *Node {
	for _, n := range tl.Nodes {
		if n.ID == id {
			return n
		}
	}
	return nil
}

// icbParts are the ICBs an organisation's losses are added up under, and
// the part of them in each: all of key for an organisation of one ICB or
// none; for a regional one, its ICBs by model.ICBWeights (equal parts
// where the weights are all 0).
func icbParts(g *graph.Graph, id, key string) ([]string, []float64) {
	v, _ := g.Index(id)
	n := g.Node(v)
	if !n.Regional() {
		return []string{key}, []float64{1}
	}
	ids := make([]string, 0, len(n.ICBs))
	icbs := make([]*model.Node, 0, len(n.ICBs))
	for _, s := range n.ICBs {
		if j, ok := g.Index(s.ID); ok {
			ids, icbs = append(ids, s.ID), append(icbs, g.Node(j))
		}
	}
	weights, _ := model.ICBWeights(n, icbs)
	var total int64
	for _, w := range weights {
		total += w
	}
	parts := make([]float64, len(weights))
	for k, w := range weights {
		if total == 0 {
			parts[k] = 1 / float64(len(weights))
		} else {
			parts[k] = float64(w) / float64(total)
		}
	}
	return ids, parts
}
