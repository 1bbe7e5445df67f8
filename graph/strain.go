package graph

import (
	"slices"
	"strings"

	"github.com/blastradius/blastradius/model"
)

// Strain needs time: a helper sheds its own work only once its neighbour
// has been short for a while, and a stock crosses its alert only after
// days of surging demand. The worst-case analyses keep their answers and
// only say where a timeline would add strained nodes.

// MayStrain is a node a timeline of the radius may find strained, and the
// helpers or stocks that would strain it.
type MayStrain struct {
	ID   string   `json:"id"`
	Name string   `json:"name"`
	By   []string `json:"by"`
}

// mayStrain lists, for a radius whose short nodes (down or degraded) short
// reports, every node an aid link or a stock could strain: a helper of a
// short consumer that may shed, with its own consumers, and a stock whose
// surge waits on a short node, with every consumer of the stock. What a
// helper sheds may leave its consumers, and whatever depends on them, short
// in turn, which may strain further helpers and stocks: the list follows
// that to its end. By id; nil for a model without aid or stocks.
func (g *Graph) mayStrain(short func(int32) bool) []MayStrain {
	if !g.strain {
		return nil
	}
	g.strainOnce.Do(g.buildStrainNet)
	n := len(g.nodes)
	down, aids, surges := g.strainNet.down, g.strainNet.aids, g.strainNet.surges
	isShort := make([]bool, n)
	var queue []int32
	mark := func(v int32) {
		if !isShort[v] {
			isShort[v] = true
			queue = append(queue, v)
		}
	}
	// A timeline follows capacity further than the worst case's effects (a
	// degraded node lowers its consumers' capacity too), so everything
	// downstream of a short node may be short.
	for v := range n {
		if short(int32(v)) {
			mark(int32(v))
		}
	}
	by := map[int32][]string{}
	add := func(v int32, cause string) {
		if !slices.Contains(by[v], cause) {
			by[v] = append(by[v], cause)
		}
	}
	for changed := true; changed; {
		changed = false
		for _, a := range aids {
			if !isShort[a.from] {
				continue
			}
			cause := g.nodes[a.to].ID
			if _, seen := by[a.to]; !seen || !slices.Contains(by[a.to], cause) {
				changed = true
			}
			add(a.to, cause)
			for _, c := range down[a.to] {
				add(c, cause)
				mark(c)
			}
		}
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			changed = true
			for _, c := range down[v] {
				mark(c)
			}
		}
	}
	for _, sg := range surges {
		if w, ok := g.index[sg.d.Surge.When.Value]; ok && isShort[w] {
			cause := g.nodes[sg.to].ID
			add(sg.to, cause)
			for _, c := range down[sg.to] {
				add(c, cause)
			}
		}
	}
	if len(by) == 0 {
		return nil
	}
	out := make([]MayStrain, 0, len(by))
	for v, causes := range by {
		slices.Sort(causes)
		out = append(out, MayStrain{ID: g.nodes[v].ID, Name: g.nodes[v].Name, By: causes})
	}
	slices.SortFunc(out, func(a, b MayStrain) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// strainNet is what mayStrain follows, built once for a graph (a reach of
// the explorer's costs the radius, not the model): by provider, the nodes
// whose capacity follows it, and the aid links that may shed and the
// surges.
type strainNet struct {
	down         [][]int32
	aids, surges []strainLink
}

type strainLink struct {
	from, to int32
	d        *model.Dependency
}

func (g *Graph) buildStrainNet() {
	// down[p]: the nodes whose capacity follows p's over a dependency that
	// carries an outage or a degradation (aid links carry nothing).
	n := len(g.nodes)
	down := make([][]int32, n)
	var aids, surges []strainLink
	for _, d := range g.model.Dependencies {
		c, ok1 := g.index[d.From]
		p, ok2 := g.index[d.To]
		if !ok1 || !ok2 {
			continue
		}
		switch {
		case d.Aid != nil:
			if d.Aid.Shed > 0 { // help from headroom costs the helper nothing
				aids = append(aids, strainLink{c, p, d})
			}
			continue
		case d.Surge != nil:
			surges = append(surges, strainLink{c, p, d})
		}
		r := model.RelationIndex(d.Type)
		if r < 0 {
			continue
		}
		info := &relations[r]
		if info.Carries.Has(model.Outage) || info.Carries.Has(model.Degradation) {
			down[p] = append(down[p], c)
			if info.BothWays {
				down[c] = append(down[c], p)
			}
		}
	}
	// A service's capacity follows its operator's.
	for _, svc := range g.model.Services {
		if svc.Operator == "" {
			continue
		}
		if op, ok := g.index[svc.Operator]; ok {
			v := g.index[svc.ID]
			down[op] = append(down[op], v)
		}
	}
	g.strainNet = strainNet{down: down, aids: aids, surges: surges}
}
