// Package graph builds the dependency graph of a model and answers questions
// about it: what a compromise reaches and why (Reach), which single compromise
// hurts most (Rank), where one change contains the most (Chokepoints), and the
// ways an effect travels between two nodes (Paths).
//
// The engine is a compact index built once from the model's dependencies and
// the relation declaration of package model (model.AllRelations): flat
// adjacency arrays, one per way an effect travels (compromise, outage,
// exposure, and the service dependencies that carry outage or degradation),
// in which node i is the i-th id in sorted order, so output is sorted by id
// without further work. Every arc keeps the dependency it came from (its
// index in the model's Dependencies; -1 for an operator), so a Run can mask
// dependencies, change controls or add alternatives for one analysis without
// rebuilding anything. Reach computes each effect as a least fixed point
// over these arrays, in time linear in what it touches.
//
// gonum runs the algorithms it is built for, on graphs derived from the
// index: strongly connected components (topo.TarjanSCC) for Rank and k
// shortest paths (path.YenKShortestPaths) for Paths. Chokepoints finds its
// dominators by nodes over the states (node, effect carried), where an
// outage over a service with alternatives needs them all down, which no
// single-vertex dominator tree expresses; its minimum cuts use a compact
// max-flow of their own, which the tests check against gonum's
// network.MaxFlowDinic.
//
// A Graph is immutable after Build and safe for concurrent use.
package graph

import (
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/blastradius/blastradius/model"
)

// Operator is the relation between an organisation and a service it runs.
const Operator = model.Operator

// Graph is a model's dependency graph.
type Graph struct {
	model *model.Model
	nodes []*model.Node // by index: ids in sorted order
	index map[string]int32

	orgs     []bool  // by index: is an organisation
	patients []int64 // by index
	pop      *population
	strain   bool // some dependency has aid or surge (see mayStrain)
	// strainNet is built on first use, by strainOnce.
	strainOnce sync.Once
	strainNet  strainNet

	depsOnce sync.Once
	spare    sync.Pool                    // workspaces that whole-network runs reuse
	deps     map[depKey]*model.Dependency // see dependency

	comp    csr // compromise spreads u → v
	compRev csr // the same arcs, reversed
	held    csr // compromise arcs that a control of the receiving end stops
	down    csr // outage spreads u → v unconditionally (operator, hosting)
	expose  csr // exposure spreads u → v (data, hosting)

	// Dependencies whose relation is Critical (service): outage crosses
	// them only when critical and every alternative is down; otherwise
	// they degrade.
	svc     csr     // provider → edge indices into svcFrom etc.
	watch   csr     // node → critical edges whose provider or alternative it is
	svcFrom []int32 // consumer of each service edge
	svcTo   []int32
	svcCrit []bool
	svcAlts [][]int32
	svcRel  []uint8
	svcDep  []int32 // the dependency of each edge
	depEdge []int32 // by dependency: its service edge, or -1
}

// csr is an adjacency list in compressed sparse row form: the neighbours of
// node u are adj[off[u]:off[u+1]], with the relation (its number in the
// declaration) and the dependency (-1 for an operator) of each.
type csr struct {
	off []int32
	adj []int32
	rel []uint8
	dep []int32
}

func (c *csr) of(u int32) []int32 { return c.adj[c.off[u]:c.off[u+1]] }

// The tables below are the declaration of package model, by relation
// number, as the analyses read it; declare builds them.
var (
	// relations is the declaration; relationName names each.
	relations    []model.RelationInfo
	relationName []model.Relation
	// stopping lists the controls that stop some effect (model.Stopping);
	// stopBit is, by relation, the bit of the control that stops
	// compromise crossing into the receiving end, or 0.
	stopping []string
	stopBit  []uint8
	// quiet is, by relation, whether a compromise always crosses it where
	// its outage or exposure would: the stronger effect says it all.
	quiet        []bool
	codeOperator uint8
)

func init() { declare() }

// declare builds the tables from the declaration.
func declare() {
	relations = model.AllRelations()
	relationName = make([]model.Relation, len(relations))
	stopping = model.Stopping()
	stopBit = make([]uint8, len(relations))
	quiet = make([]bool, len(relations))
	for i, r := range relations {
		relationName[i] = r.Relation
		if c := r.Stops[model.Compromise]; c != "" {
			stopBit[i] = controlBit(c)
		}
		quiet[i] = r.Carries.Has(model.Compromise) && r.Stops[model.Compromise] == ""
	}
	codeOperator = uint8(model.RelationIndex(model.Operator))
}

// controlBit returns the bit of a control that stops some effect, or 0.
func controlBit(c string) uint8 {
	if i := slices.Index(stopping, c); i >= 0 && i < 8 {
		return 1 << i
	}
	return 0
}

type arc struct {
	u, v int32
	rel  uint8
	dep  int32
}

// buildCSR turns arcs into a csr sorted by target, relation and dependency,
// dropping repeats.
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
	c.dep = make([]int32, len(arcs))
	fill := slices.Clone(c.off[:n])
	for _, a := range arcs {
		c.adj[fill[a.u]] = a.v
		c.rel[fill[a.u]] = a.rel
		c.dep[fill[a.u]] = a.dep
		fill[a.u]++
	}
	// Sort each row and drop repeated arcs.
	w := int32(0)
	start := int32(0)
	for u := 0; u < n; u++ {
		end := c.off[u+1]
		row := rowSorter{c.adj[start:end], c.rel[start:end], c.dep[start:end]}
		if len(row.adj) > 1 {
			sort.Sort(row)
		}
		c.off[u] = w
		for i := start; i < end; i++ {
			if i > start && c.adj[i] == c.adj[i-1] && c.rel[i] == c.rel[i-1] && c.dep[i] == c.dep[i-1] {
				continue
			}
			c.adj[w], c.rel[w], c.dep[w] = c.adj[i], c.rel[i], c.dep[i]
			w++
		}
		start = end
	}
	c.off[n] = w
	c.adj, c.rel, c.dep = c.adj[:w:w], c.rel[:w:w], c.dep[:w:w]
	return c
}

type rowSorter struct {
	adj []int32
	rel []uint8
	dep []int32
}

func (r rowSorter) Len() int { return len(r.adj) }
func (r rowSorter) Less(i, j int) bool {
	if r.adj[i] != r.adj[j] {
		return r.adj[i] < r.adj[j]
	}
	if r.rel[i] != r.rel[j] {
		return r.rel[i] < r.rel[j]
	}
	return r.dep[i] < r.dep[j]
}
func (r rowSorter) Swap(i, j int) {
	r.adj[i], r.adj[j] = r.adj[j], r.adj[i]
	r.rel[i], r.rel[j] = r.rel[j], r.rel[i]
	r.dep[i], r.dep[j] = r.dep[j], r.dep[i]
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
	var b builder
	for i, nd := range g.nodes {
		g.orgs[i] = nd.Class == model.ClassOrganisation
		g.patients[i] = nd.Patients
		if nd.Operator != "" {
			op, ok := g.index[nd.Operator]
			if !ok {
				return nil, &UnknownIDError{ID: nd.Operator}
			}
			b.cross(g, op, int32(i), codeOperator, -1)
		}
	}
	g.depEdge = make([]int32, len(m.Dependencies))
	for di, d := range m.Dependencies {
		g.depEdge[di] = -1
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
		r := model.RelationIndex(d.Type)
		if r < 0 {
			return nil, fmt.Errorf("graph: %q depends on %q by %q, which is no relation", d.From, d.To, d.Type)
		}
		if d.Aid != nil {
			continue // a helper's aid is not a need: in the worst case it carries nothing
		}
		info := &relations[r]
		var alts []int32
		if info.Critical {
			for _, a := range d.Alternatives {
				ai, ok := g.index[a]
				if !ok {
					return nil, &UnknownIDError{ID: a}
				}
				if ai != p && !slices.Contains(alts, ai) {
					alts = append(alts, ai)
				}
			}
		}
		for _, end := range [2][2]int32{{p, c}, {c, p}} {
			u, v := end[0], end[1]
			if info.Carries.Has(model.Outage) && info.Critical || info.Carries.Has(model.Degradation) {
				e := int32(len(g.svcFrom))
				g.svcFrom = append(g.svcFrom, v)
				g.svcTo = append(g.svcTo, u)
				g.svcCrit = append(g.svcCrit, info.Critical && d.Critical && info.Carries.Has(model.Outage))
				g.svcAlts = append(g.svcAlts, alts)
				g.svcRel = append(g.svcRel, uint8(r))
				g.svcDep = append(g.svcDep, int32(di))
				if g.depEdge[di] < 0 {
					g.depEdge[di] = e
				}
				b.svc = append(b.svc, arc{u, e, uint8(r), int32(di)})
			}
			b.cross(g, u, v, uint8(r), int32(di))
			if !info.BothWays {
				break
			}
		}
	}
	g.pop = newPopulation(g.nodes, g.index)
	for _, d := range m.Dependencies {
		g.strain = g.strain || d.Aid != nil || d.Surge != nil
	}
	g.comp = buildCSR(n, b.comp)
	rev := make([]arc, len(b.comp))
	for i, a := range b.comp {
		rev[i] = arc{a.v, a.u, a.rel, a.dep}
	}
	g.compRev = buildCSR(n, rev)
	g.held = buildCSR(n, b.held)
	g.down = buildCSR(n, b.down)
	g.expose = buildCSR(n, b.expose)
	g.svc = buildCSR(n, b.svc)
	var watch []arc
	for e := range g.svcFrom {
		if !g.svcCrit[e] {
			continue
		}
		watch = append(watch, arc{g.svcTo[e], int32(e), g.svcRel[e], g.svcDep[e]})
		for _, a := range g.svcAlts[e] {
			watch = append(watch, arc{a, int32(e), g.svcRel[e], g.svcDep[e]})
		}
	}
	g.watch = buildCSR(n, watch)
	return g, nil
}

// builder collects the arcs of a graph as the declaration says.
type builder struct {
	comp, held, down, expose, svc []arc
}

// cross adds the arcs by which the effects of relation r cross from u to v,
// except those of service edges, which Build adds.
func (b *builder) cross(g *Graph, u, v int32, r uint8, dep int32) {
	info := &relations[r]
	a := arc{u, v, r, dep}
	if info.Carries.Has(model.Compromise) {
		if c := info.Stops[model.Compromise]; c != "" && g.nodes[v].Has(c) {
			b.held = append(b.held, a)
		} else {
			b.comp = append(b.comp, a)
		}
	}
	if info.Carries.Has(model.Outage) && !info.Critical {
		b.down = append(b.down, a)
	}
	if info.Carries.Has(model.Exposure) {
		b.expose = append(b.expose, a)
	}
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
