package render

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// A Scene is what a drawing shows, decided once from the graph, the impact
// and the options: which nodes (some folded into groups), in which
// clusters, which lines with which relations and which of them lie on an
// explaining path, the marks and badges on each node, the title and what
// the legend must explain. It says nothing of any file format: a writer
// (WriteDOT) says it in one.
type Scene struct {
	Title, Subtitle string
	Assume          []string // the scenario's what-if, one change an item, in words
	Note            string   // what unaffected context was drawn, in words; "" if none was left out
	Layout          string   // the Graphviz layout the scene is for: "dot", "sfdp", ...
	// Nodes in the order they are drawn: the selected nodes by id, each
	// group where its first member would be.
	Nodes    []Node
	Clusters []Cluster // the ICBs that hold some node, by id
	Edges    []Edge    // by provider, then consumer
	Legend   Legend
	// Selected is how many nodes were chosen before folding; Folded, the
	// groups folded. In focus, Context is how many unaffected neighbours
	// of the radius are drawn, and Omitted how many were left out.
	Selected         int
	Folded           []Fold
	Context, Omitted int
}

// A Node is one node drawn, or one group of similar nodes folded into one.
type Node struct {
	ID      string
	Label   string // the lines of text inside it
	Class   model.Class
	Kind    string
	Cluster string       // the ICB whose cluster holds it, or ""
	Effect  graph.Effect // its worst effect, or the worst of its group
	// Effects is every effect on it, worst first; none if unaffected.
	Effects  []graph.Effect
	Seed     bool
	Controls []string // the controls it has that stop some effect, badged
	Assumed  []string // controls the what-if gives it ("mfa") or takes away ("no mfa")
	Folded   int      // for a group, how many nodes it stands for; else 0
	// Fill is the effect whose colour it is drawn in: its worst, or for a
	// group the one most members share (Effects then lists every effect
	// among them, and the label counts them).
	Fill graph.Effect
}

// A Cluster is the box around the nodes of one ICB.
type Cluster struct {
	ID, Label string
}

// An Edge is one line from a provider to a consumer: every relation
// between the two drawn nodes (or groups) that stand for them.
type Edge struct {
	From, To  string
	Relations []RelationCount // the strongest first: it sets the line's style
	Label     string          // "" when the drawing is too large for labels
	Hot       graph.Effect    // the worst effect it carries on an explaining path, or Unaffected
	Assumed   bool            // a dependency the what-if adds
}

// RelationCount is one relation on a line and how many dependencies of it
// the line stands for.
type RelationCount struct {
	Relation model.Relation
	Count    int
}

// Legend is what the legend must explain: only what the drawing holds.
type Legend struct {
	Effects                 bool             // a scenario is drawn: the effects' colours
	Relations               []model.Relation // relations drawn, in declaration order, alternative last
	Paths                   []graph.Effect   // effects carried by highlighted steps, worst first
	ExposedRing             bool             // some node is exposed as well as worse
	Seed                    bool
	Controls                []string // stopping controls badged on some node
	Assumed                 bool     // some node or line is marked as changed by the what-if
	Folded                  bool
	Services, Organisations bool
}

// NewScene decides what a drawing of the graph shows.
func NewScene(g *graph.Graph, opt Options) *Scene {
	b := newBuilder(g, opt)
	s := b.s
	selected := b.choose()
	s.Selected = len(selected)
	maxNodes := opt.MaxNodes
	if maxNodes <= 0 {
		maxNodes = DefaultMaxNodes
	}
	b.rep, s.Folded = fold(g, selected, b.effect, b.seed, maxNodes)
	edges := b.edges()
	b.nodes(selected)
	s.Layout = chooseLayout(opt.Layout, len(s.Nodes), len(edges))
	b.drawEdges(edges)
	b.words()
	return s
}

// builder holds what building a scene needs to know along the way.
type builder struct {
	g       *graph.Graph
	opt     Options
	effect  map[string]graph.Effect   // the worst effect on each node
	effects map[string][]graph.Effect // every effect on an affected node
	seed    map[string]bool
	rep     map[string]string // the node or group that stands for each selected node
	s       *Scene
}

func newBuilder(g *graph.Graph, opt Options) *builder {
	b := &builder{g: g, opt: opt, effect: map[string]graph.Effect{}, effects: map[string][]graph.Effect{}, seed: map[string]bool{}, s: &Scene{}}
	for _, n := range g.Nodes() {
		b.effect[n.ID] = graph.Unaffected
	}
	if im := opt.Impact; im != nil {
		for _, a := range im.Affected {
			b.effect[a.ID] = a.Impact
			b.effects[a.ID] = a.Effects
		}
		for _, s := range im.Seeds {
			b.seed[s] = true
		}
	}
	return b
}

// choose picks the nodes to draw, in id order: every node, or in focus the
// blast radius and the neighbours that best explain it.
func (b *builder) choose() []*model.Node {
	nodes := b.g.Nodes() // id order
	if b.opt.Impact == nil || !b.opt.Focus {
		return nodes
	}
	chosen := map[string]bool{}
	for id, e := range b.effect {
		if e != graph.Unaffected {
			chosen[id] = true
		}
	}
	near := explainingContext(b.g, b.effect, b.opt.Assume)
	keep := len(near)
	switch {
	case b.opt.Context == 0:
		keep = min(keep, DefaultContext)
	case b.opt.Context == NoContext:
		keep = 0
	case b.opt.Context > 0:
		keep = min(keep, b.opt.Context)
	}
	for _, id := range near[:keep] {
		chosen[id] = true
	}
	b.s.Context, b.s.Omitted = keep, len(near)-keep
	var selected []*model.Node
	for _, n := range nodes {
		if chosen[n.ID] {
			selected = append(selected, n)
		}
	}
	return selected
}

// edgeKey is a line as drawn: from the provider to the consumer.
type edgeKey struct {
	from, to string
}

// edges collects every relation between two drawn nodes or groups, provider
// to consumer, with the steps of explaining paths hot.
func (b *builder) edges() map[edgeKey]*Edge {
	edges := map[edgeKey]*Edge{}
	add := func(provider, consumer string, rel model.Relation) *Edge {
		a, okA := b.rep[provider]
		c, okC := b.rep[consumer]
		if !okA || !okC || a == c {
			return nil
		}
		// In focus, context is for the affected: an edge between two
		// unaffected nodes only clutters.
		if b.opt.Focus && b.effect[provider] == graph.Unaffected && b.effect[consumer] == graph.Unaffected {
			return nil
		}
		k := edgeKey{a, c}
		e := edges[k]
		if e == nil {
			e = &Edge{From: a, To: c, Hot: graph.Unaffected}
			edges[k] = e
		}
		e.add(rel)
		return e
	}
	for _, n := range b.g.Nodes() {
		if n.Operator != "" {
			add(n.Operator, n.ID, graph.Operator)
		}
	}
	for _, dep := range b.g.Model().Dependencies {
		for _, alt := range dep.Alternatives {
			add(alt, dep.From, alternative)
		}
		e := add(dep.To, dep.From, dep.Type)
		if e != nil && slices.ContainsFunc(b.opt.Assume.Add, func(x *model.Dependency) bool {
			return x.From == dep.From && x.To == dep.To && x.Type == dep.Type
		}) {
			e.Assumed = true
		}
	}
	b.heat(edges)
	return edges
}

// add counts one more dependency of the relation on the line.
func (e *Edge) add(rel model.Relation) {
	for i := range e.Relations {
		if e.Relations[i].Relation == rel {
			e.Relations[i].Count++
			return
		}
	}
	e.Relations = append(e.Relations, RelationCount{rel, 1})
}

// Words names the relations of the line, with how many dependencies of
// each if more than one: "service ×2, data".
func (e *Edge) Words() string {
	var parts []string
	for _, r := range e.Relations {
		part := relLabel(r.Relation)
		if r.Count > 1 {
			part += fmt.Sprintf(" ×%d", r.Count)
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, ", ")
}

// heat marks the lines that carry a step of an explaining path with the
// worst effect they carry.
func (b *builder) heat(edges map[edgeKey]*Edge) {
	im := b.opt.Impact
	if im == nil {
		return
	}
	for _, a := range im.Affected {
		for i, rel := range a.Via {
			provider, consumer := a.Path[i], a.Path[i+1]
			k := edgeKey{b.rep[provider], b.rep[consumer]}
			if rel.BothWays() && edges[k] == nil {
				k = edgeKey{b.rep[consumer], b.rep[provider]}
			}
			if e := edges[k]; e != nil && b.effect[consumer] < e.Hot {
				e.Hot = b.effect[consumer]
			}
		}
	}
}

// nodes draws each selected node, or the group that stands for it, once,
// with its marks, and the clusters that hold them.
func (b *builder) nodes(selected []*model.Node) {
	s, lg := b.s, &b.s.Legend
	folds := map[string]*Fold{}
	for i := range s.Folded {
		folds[s.Folded[i].ID] = &s.Folded[i]
	}
	assumed := assumedControls(b.opt.Assume)
	stopping := model.Stopping()
	controlsUsed := map[string]bool{}
	seen := map[string]bool{}
	for _, n := range selected {
		r := b.rep[n.ID]
		if seen[r] {
			continue
		}
		seen[r] = true
		lg.Services = lg.Services || n.Class == model.ClassService
		lg.Organisations = lg.Organisations || n.Class == model.ClassOrganisation
		if f := folds[r]; f != nil {
			lg.Folded = true
			d := Node{ID: f.ID, Label: f.Label, Class: n.Class, Kind: n.Kind, Cluster: f.ICB, Effect: f.Effect, Fill: f.Fill, Folded: f.Count}
			for _, c := range f.Counts {
				if c.Effect != graph.Unaffected {
					d.Effects = append(d.Effects, c.Effect)
				}
			}
			s.Nodes = append(s.Nodes, d)
			continue
		}
		d := Node{ID: n.ID, Class: n.Class, Kind: n.Kind, Cluster: n.HomeICB(), Effect: b.effect[n.ID], Fill: b.effect[n.ID],
			Effects: b.effects[n.ID], Seed: b.seed[n.ID], Assumed: assumed[n.ID]}
		if isICB(n) {
			d.Cluster = n.ID
		}
		for _, c := range stopping {
			if n.Has(c) {
				d.Controls = append(d.Controls, c)
				controlsUsed[c] = true
			}
		}
		d.Label = nodeLabel(n, d)
		lg.Seed = lg.Seed || d.Seed
		lg.Assumed = lg.Assumed || len(d.Assumed) > 0
		lg.ExposedRing = lg.ExposedRing || (d.Effect < graph.Exposed && slices.Contains(d.Effects, graph.Exposed))
		s.Nodes = append(s.Nodes, d)
	}
	for _, c := range stopping {
		if controlsUsed[c] {
			lg.Controls = append(lg.Controls, c)
		}
	}
	s.Clusters = b.clusters()
}

func isICB(n *model.Node) bool { return n.Kind == "icb" && n.Class == model.ClassOrganisation }

// assumedControls lists, for each node, the controls the what-if gives it
// ("mfa") or takes away ("no mfa").
func assumedControls(a model.Assumptions) map[string][]string {
	out := map[string][]string{}
	for _, c := range a.Controls {
		for _, r := range c.Controls {
			out[c.ID.Value] = append(out[c.ID.Value], r.Value)
		}
	}
	for _, c := range a.RemoveControls {
		for _, r := range c.Controls {
			out[c.ID.Value] = append(out[c.ID.Value], "no "+r.Value)
		}
	}
	return out
}

// clusters lists the ICBs that hold some drawn node, by id, each named.
func (b *builder) clusters() []Cluster {
	name := map[string]string{}
	for _, n := range b.g.Nodes() {
		if isICB(n) {
			name[n.ID] = n.Name
		}
	}
	var ids []string
	for _, n := range b.s.Nodes {
		if n.Cluster != "" && !slices.Contains(ids, n.Cluster) {
			ids = append(ids, n.Cluster)
		}
	}
	sort.Strings(ids)
	out := make([]Cluster, len(ids))
	for i, id := range ids {
		out[i] = Cluster{ID: id, Label: name[id]}
		if out[i].Label == "" {
			out[i].Label = id
		}
	}
	return out
}

// nodeLabel is the text of a node: its name, its kind, then a line of
// marks: controls as badges, then the effects beyond the worst.
func nodeLabel(n *model.Node, d Node) string {
	kind := n.Kind
	if n.Class == model.ClassService {
		kind += " service"
	}
	if n.ODS != "" {
		kind += " · " + n.ODS
	}
	label := wrap(n.Name, 26) + "\n" + kind
	var line []string
	for _, c := range d.Controls {
		bd := badge(c)
		if slices.Contains(d.Assumed, c) {
			bd += " (assumed)"
		}
		line = append(line, bd)
	}
	for _, c := range d.Assumed {
		if strings.HasPrefix(c, "no ") {
			line = append(line, "no "+badge(strings.TrimPrefix(c, "no "))+" (assumed)")
		}
	}
	for _, x := range d.Effects {
		if x != d.Effect {
			line = append(line, "also "+x.String())
		}
	}
	if len(line) > 0 {
		label += "\n" + strings.Join(line, " · ")
	}
	return label
}

// chooseLayout resolves the layout asked for ("" and "auto" included) for
// a drawing of that size.
func chooseLayout(layout string, nodes, edges int) string {
	switch layout {
	case "", "dot":
		return "dot"
	case "auto":
		return AutoLayout(nodes, edges)
	}
	return layout
}

// drawEdges sorts the lines, labels them, and notes for the legend the
// relations drawn and the effects their highlighted steps carry.
func (b *builder) drawEdges(edges map[edgeKey]*Edge) {
	s := b.s
	s.Edges = make([]Edge, 0, len(edges))
	for _, e := range edges {
		s.Edges = append(s.Edges, *e)
	}
	sort.Slice(s.Edges, func(i, j int) bool {
		a, c := s.Edges[i], s.Edges[j]
		if a.From != c.From {
			return a.From < c.From
		}
		return a.To < c.To
	})
	// Past 150 lines, labels only clutter, and the force-directed layouts
	// of go-graphviz fail on straight lines with labels; the line style
	// tells the relation.
	labelled := len(s.Edges) <= 150 && s.Layout == "dot"
	relsDrawn := map[model.Relation]bool{}
	hotDrawn := map[graph.Effect]bool{}
	for i := range s.Edges {
		e := &s.Edges[i]
		sort.Slice(e.Relations, func(i, j int) bool { return relOrder(e.Relations[i].Relation) < relOrder(e.Relations[j].Relation) })
		for _, r := range e.Relations {
			relsDrawn[r.Relation] = true
		}
		if labelled {
			e.Label = e.Words()
		}
		if e.Hot != graph.Unaffected {
			hotDrawn[e.Hot] = true
		}
	}
	for _, r := range model.AllRelations() {
		if relsDrawn[r.Relation] {
			s.Legend.Relations = append(s.Legend.Relations, r.Relation)
		}
	}
	if relsDrawn[alternative] {
		s.Legend.Relations = append(s.Legend.Relations, alternative)
	}
	for _, e := range graph.Effects {
		if hotDrawn[e] {
			s.Legend.Paths = append(s.Legend.Paths, e)
		}
	}
}

// words writes the title, subtitle, what-if and context note.
func (b *builder) words() {
	s, opt := b.s, b.opt
	s.Legend.Effects = opt.Impact != nil
	s.Title = opt.Title
	if s.Title == "" {
		s.Title = opt.Scenario
	}
	if s.Title == "" && opt.Impact != nil {
		s.Title = fmt.Sprintf("Blast radius of %s (%s)", strings.Join(opt.Impact.Seeds, ", "), opt.Impact.Mode)
	}
	s.Subtitle = opt.Subtitle
	s.Assume = assumptionWords(opt.Assume)
	if s.Omitted > 0 {
		s.Note = fmt.Sprintf("context: %d of the %d unaffected neighbours of the radius, those that explain it best", s.Context, s.Context+s.Omitted)
	}
}

// wrap breaks text into lines of about width characters.
func wrap(s string, width int) string {
	words := strings.Fields(s)
	var lines []string
	cur := ""
	for _, w := range words {
		if cur != "" && len([]rune(cur))+1+len([]rune(w)) > width {
			lines = append(lines, cur)
			cur = w
			continue
		}
		if cur != "" {
			cur += " "
		}
		cur += w
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return strings.Join(lines, "\n")
}
