package render

import (
	"slices"
	"sort"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// Why an unaffected neighbour of the radius is worth drawing, best first.
const (
	whyProvider    = 1 + iota // it serves an affected node: background
	whyConsumer               // it takes from an affected node yet was spared
	whyAlternative            // it is an alternative that kept a consumer going
	whyStopped                // a control of its own stopped an effect at its door
	whyAssumed                // the what-if changed it
)

// explainingContext lists the unaffected neighbours of the radius, those
// that best explain where it stops first: a node whose own control stopped
// an effect that a line from the radius would carry into it, an
// alternative that kept an affected consumer going, a spared consumer of
// an affected provider, then the providers of affected nodes. Ties go to
// the node with more affected neighbours, then to the smaller id.
func explainingContext(g *graph.Graph, effect map[string]graph.Effect, assume model.Assumptions) []string {
	m := g.Model()
	affected := func(id string) bool { return effect[id] != graph.Unaffected }
	why := map[string]int{}
	links := map[string]int{}
	note := func(id string, w int) {
		if affected(id) {
			return
		}
		why[id] = max(why[id], w)
		links[id]++
	}
	nodes := map[string]*model.Node{}
	for _, n := range g.Nodes() {
		nodes[n.ID] = n
	}
	// stops reports whether the receiving node has a control that stops
	// some effect the relation carries.
	stops := func(r model.Relation, receiver string) bool {
		info, n := r.Info(), nodes[receiver]
		if info == nil || n == nil {
			return false
		}
		for _, c := range info.Stops {
			if n.Has(c) {
				return true
			}
		}
		return false
	}
	for _, d := range m.Dependencies {
		from, to := d.From, d.To // consumer, provider
		if affected(to) {
			w := whyConsumer
			if stops(d.Type, from) {
				w = whyStopped
			}
			note(from, w)
		}
		if affected(from) {
			w := whyProvider
			if d.Type.BothWays() && stops(d.Type, to) {
				w = whyStopped
			}
			note(to, w)
			for _, alt := range d.Alternatives {
				note(alt, whyAlternative)
			}
		}
	}
	for _, n := range g.Nodes() {
		if n.Operator == "" {
			continue
		}
		if affected(n.Operator) {
			note(n.ID, whyConsumer)
		}
		if affected(n.ID) {
			note(n.Operator, whyProvider)
		}
	}
	for _, c := range slices.Concat(assume.Controls, assume.RemoveControls) {
		if _, ok := why[c.ID.Value]; ok {
			why[c.ID.Value] = whyAssumed
		}
	}
	out := make([]string, 0, len(why))
	for id := range why {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if why[a] != why[b] {
			return why[a] > why[b]
		}
		if links[a] != links[b] {
			return links[a] > links[b]
		}
		return a < b
	})
	return out
}
