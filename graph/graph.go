// Package graph builds the dependency graph of a model and answers questions
// about it: what a compromise reaches and why (Reach), which single compromise
// hurts most (Rank), where one change contains the most (Chokepoints), and the
// ways an effect travels between two nodes (Paths).
//
// The graph is a gonum multigraph whose lines carry their relation, so that
// gonum's algorithms (strongly connected components, dominators, shortest
// paths, flows) run on the model as it is. The hot loops of the analyses run
// over a compact index derived from the same dependencies: flat adjacency
// arrays, one per way an effect travels, in which node i is the i-th id in
// sorted order. Output is therefore sorted by id without further work.
//
// A Graph is immutable after Build and safe for concurrent use.
package graph

import (
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/blastradius/blastradius/model"
	gonum "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/multi"
)

// Operator is the relation between an organisation and a service it runs.
// It is not written as a dependency but follows from a service's operator.
const Operator model.Relation = "operator"

// Node is a node of the gonum graph: an organisation or a service.
type Node struct {
	*model.Node
	id int64
}

// ID implements gonum's graph.Node; it is the node's index in id order.
func (n Node) ID() int64 { return n.id }

// Line is one relation between two nodes of the gonum graph, pointing the way
// effects travel: from the provider to the consumer (or from the operator to
// its service). Dependency is nil for the operator relation.
type Line struct {
	F, T       Node
	UID        int64
	Relation   model.Relation
	Dependency *model.Dependency
}

func (l Line) From() gonum.Node { return l.F }
func (l Line) To() gonum.Node   { return l.T }
func (l Line) ID() int64        { return l.UID }
func (l Line) ReversedLine() gonum.Line {
	return Line{F: l.T, T: l.F, UID: l.UID, Relation: l.Relation, Dependency: l.Dependency}
}

// Graph is a model's dependency graph.
type Graph struct {
	model *model.Model
	nodes []*model.Node // by index: ids in sorted order
	index map[string]int32

	gonumOnce sync.Once
	gonum     *multi.DirectedGraph

	depsOnce sync.Once
	deps     map[depKey]*model.Dependency

	orgs     []bool  // by index: is an organisation
	patients []int64 // by index
	pop      *population

	comp    csr // compromise spreads u → v
	compRev csr // the same arcs, reversed
	down    csr // outage spreads u → v unconditionally (operator, hosting)
	expose  csr // provider → consumer of data and hosting

	// service dependencies, by provider
	svc     csr     // provider → edge indices into svcEdges
	watch   csr     // node → critical edges whose provider or alternative it is
	svcFrom []int32 // consumer of each service edge
	svcTo   []int32
	svcCrit []bool
	svcAlts [][]int32
}

// csr is an adjacency list in compressed sparse row form: the neighbours of
// node u are adj[off[u]:off[u+1]], with the relation of each in rel.
type csr struct {
	off []int32
	adj []int32
	rel []uint8
}

func (c *csr) of(u int32) []int32 { return c.adj[c.off[u]:c.off[u+1]] }

const (
	codeOperator uint8 = iota
	codeService
	codeData
	codeAccess
	codeNetwork
	codeHosting
)

var relationCode = map[model.Relation]uint8{Operator: 0, model.Service: 1, model.Data: 2, model.Access: 3, model.Network: 4, model.Hosting: 5}
var relationName = []model.Relation{Operator, model.Service, model.Data, model.Access, model.Network, model.Hosting}

type arc struct {
	u, v int32
	rel  uint8
}

// buildCSR turns arcs into a csr sorted by target and relation, dropping repeats.
func buildCSR(n int, arcs []arc) csr {
	c := csr{off: make([]int32, n+1)}
	for _, a := range arcs {
		c.off[a.u+1]++
	}
	for i := 0; i < n; i++ {
		c.off[i+1] += c.off[i]
	}
	c.adj = make([]int32, len(arcs))
	c.rel = make([]uint8, len(arcs))
	fill := slices.Clone(c.off[:n])
	for _, a := range arcs {
		c.adj[fill[a.u]] = a.v
		c.rel[fill[a.u]] = a.rel
		fill[a.u]++
	}
	// Sort each row and drop repeated (target, relation) pairs.
	w := int32(0)
	start := int32(0)
	for u := 0; u < n; u++ {
		end := c.off[u+1]
		row := rowSorter{c.adj[start:end], c.rel[start:end]}
		if len(row.adj) > 1 {
			sort.Sort(row)
		}
		c.off[u] = w
		for i := start; i < end; i++ {
			if i > start && c.adj[i] == c.adj[i-1] && c.rel[i] == c.rel[i-1] {
				continue
			}
			c.adj[w], c.rel[w] = c.adj[i], c.rel[i]
			w++
		}
		start = end
	}
	c.off[n] = w
	c.adj, c.rel = c.adj[:w:w], c.rel[:w:w]
	return c
}

type rowSorter struct {
	adj []int32
	rel []uint8
}

func (r rowSorter) Len() int { return len(r.adj) }
func (r rowSorter) Less(i, j int) bool {
	if r.adj[i] != r.adj[j] {
		return r.adj[i] < r.adj[j]
	}
	return r.rel[i] < r.rel[j]
}
func (r rowSorter) Swap(i, j int) {
	r.adj[i], r.adj[j] = r.adj[j], r.adj[i]
	r.rel[i], r.rel[j] = r.rel[j], r.rel[i]
}

// Build builds the graph of a valid model (one that model.Parse returned).
// It returns an error if the model refers to ids it does not define.
func Build(m *model.Model) (*Graph, error) {
	if m == nil {
		return nil, fmt.Errorf("graph: no model")
	}
	all := m.Nodes()
	g := &Graph{model: m, nodes: make([]*model.Node, len(all)), index: make(map[string]int32, len(all))}
	copy(g.nodes, all)
	for _, n := range all {
		if n == nil {
			return nil, fmt.Errorf("graph: a nil node in the model")
		}
	}
	sort.Slice(g.nodes, func(i, j int) bool { return g.nodes[i].ID < g.nodes[j].ID })
	for i, n := range g.nodes {
		if i > 0 && g.nodes[i-1].ID == n.ID {
			return nil, fmt.Errorf("graph: duplicate id %q", n.ID)
		}
		g.index[n.ID] = int32(i)
	}
	n := len(g.nodes)
	g.orgs = make([]bool, n)
	g.patients = make([]int64, n)
	var comp, down, expose, svc []arc
	for i, nd := range g.nodes {
		g.orgs[i] = nd.Class == model.ClassOrganisation
		g.patients[i] = nd.Patients
		if nd.Operator != "" {
			op, ok := g.index[nd.Operator]
			if !ok {
				return nil, &UnknownIDError{ID: nd.Operator}
			}
			a := arc{op, int32(i), relationCode[Operator]}
			comp = append(comp, a)
			down = append(down, a)
		}
	}
	for _, d := range m.Dependencies {
		if d == nil {
			return nil, fmt.Errorf("graph: a nil dependency in the model")
		}
		c, okc := g.index[d.From] // consumer
		p, okp := g.index[d.To]   // provider
		if !okc || !okp {
			return nil, &UnknownIDError{ID: pick(okc, d.To, d.From)}
		}
		if c == p {
			return nil, fmt.Errorf("graph: %q depends on itself", d.From)
		}
		r := relationCode[d.Type]
		switch d.Type {
		case model.Service:
			e := int32(len(g.svcFrom))
			g.svcFrom = append(g.svcFrom, c)
			g.svcTo = append(g.svcTo, p)
			g.svcCrit = append(g.svcCrit, d.Critical)
			var alts []int32
			for _, a := range d.Alternatives {
				ai, ok := g.index[a]
				if !ok {
					return nil, &UnknownIDError{ID: a}
				}
				if ai != p && !slices.Contains(alts, ai) {
					alts = append(alts, ai)
				}
			}
			g.svcAlts = append(g.svcAlts, alts)
			svc = append(svc, arc{p, e, r})
		case model.Data:
			expose = append(expose, arc{p, c, r})
		case model.Access:
			if !g.nodes[c].Has(model.MFA) {
				comp = append(comp, arc{p, c, r})
			}
		case model.Network:
			if !g.nodes[c].Has(model.Segmentation) {
				comp = append(comp, arc{p, c, r})
			}
			if !g.nodes[p].Has(model.Segmentation) {
				comp = append(comp, arc{c, p, r})
			}
		case model.Hosting:
			comp = append(comp, arc{p, c, r})
			down = append(down, arc{p, c, r})
			expose = append(expose, arc{p, c, r})
		}
	}
	g.pop = newPopulation(g.nodes, g.index)
	g.comp = buildCSR(n, comp)
	rev := make([]arc, len(comp))
	for i, a := range comp {
		rev[i] = arc{a.v, a.u, a.rel}
	}
	g.compRev = buildCSR(n, rev)
	g.down = buildCSR(n, down)
	g.expose = buildCSR(n, expose)
	g.svc = buildCSR(n, svc)
	var watch []arc
	for e := range g.svcFrom {
		if !g.svcCrit[e] {
			continue
		}
		watch = append(watch, arc{g.svcTo[e], int32(e), 1})
		for _, a := range g.svcAlts[e] {
			watch = append(watch, arc{a, int32(e), 1})
		}
	}
	g.watch = buildCSR(n, watch)
	return g, nil
}

func pick(ok bool, a, b string) string {
	if ok {
		return a
	}
	return b
}

// Model returns the model the graph was built from.
func (g *Graph) Model() *model.Model { return g.model }

// Len returns the number of nodes.
func (g *Graph) Len() int { return len(g.nodes) }

// Lookup returns the organisation or service with the id.
func (g *Graph) Lookup(id string) (*model.Node, bool) {
	i, ok := g.index[id]
	if !ok {
		return nil, false
	}
	return g.nodes[i], true
}

// Nodes returns every node in id order.
func (g *Graph) Nodes() []*model.Node { return slices.Clone(g.nodes) }

// Gonum returns the model as a gonum multigraph. Its lines are of type Line
// and point the way effects travel: provider to consumer, operator to service;
// a network dependency gives a line each way. Node IDs are indices in id
// order. The multigraph is built on first use and must not be modified.
func (g *Graph) Gonum() *multi.DirectedGraph {
	g.gonumOnce.Do(func() {
		mg := multi.NewDirectedGraph()
		nodes := make([]Node, len(g.nodes))
		for i, n := range g.nodes {
			nodes[i] = Node{Node: n, id: int64(i)}
			mg.AddNode(nodes[i])
		}
		uid := int64(0)
		add := func(f, t int32, rel model.Relation, d *model.Dependency) {
			mg.SetLine(Line{F: nodes[f], T: nodes[t], UID: uid, Relation: rel, Dependency: d})
			uid++
		}
		for i, n := range g.nodes {
			if n.Operator != "" {
				add(g.index[n.Operator], int32(i), Operator, nil)
			}
		}
		for _, d := range g.model.Dependencies {
			c, p := g.index[d.From], g.index[d.To]
			add(p, c, d.Type, d)
			if d.Type == model.Network {
				add(c, p, d.Type, d)
			}
		}
		g.gonum = mg
	})
	return g.gonum
}

// UnknownIDError reports an id that names no node of the graph.
type UnknownIDError struct {
	ID         string
	Suggestion string // a near id, or empty
}

func (e *UnknownIDError) Error() string {
	msg := fmt.Sprintf("%q: no such organisation or service", e.ID)
	if e.Suggestion != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", e.Suggestion)
	}
	return msg
}

// resolve maps ids to sorted, distinct indices.
func (g *Graph) resolve(ids []string) ([]int32, error) {
	if len(ids) == 0 {
		return nil, fmt.Errorf("no seeds: name at least one organisation or service to compromise")
	}
	out := make([]int32, 0, len(ids))
	for _, id := range ids {
		i, ok := g.index[id]
		if !ok {
			return nil, &UnknownIDError{ID: id, Suggestion: g.suggest(id)}
		}
		out = append(out, i)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func (g *Graph) suggest(id string) string {
	ids := make([]string, len(g.nodes))
	for i, n := range g.nodes {
		ids[i] = n.ID
	}
	return model.Suggest(id, ids)
}
