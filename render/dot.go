// Package render draws a model, or the blast radius of a scenario, as a
// Graphviz DOT graph: nodes coloured by effect, edges styled by relation, the
// steps along each explaining path highlighted, organisations clustered by
// ICB, and a legend. Large drawings are cut down: focus keeps the blast
// radius and one hop of context, and similar nodes fold into one with a
// count. The DOT text is deterministic: the same input gives the same bytes.
//
// Laying the graph out is left to Graphviz (see cmd/blastradius-draw).
package render

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// DefaultMaxNodes is how many nodes a drawing holds before similar ones
// fold: the dot layout takes about a second at this size on two cores.
const DefaultMaxNodes = 120

// Options say what to draw.
type Options struct {
	Impact   *graph.Impact // nil draws the network without a scenario
	Focus    bool          // draw only the affected nodes and their neighbours
	MaxNodes int           // fold similar nodes above this; 0 means DefaultMaxNodes
	Title    string
	// Layout is the Graphviz layout the drawing is for: "" or "dot" (lines
	// curve around nodes), "auto" (dot, or sfdp for a large drawing), or a
	// force-directed one such as "sfdp", for which lines are straight:
	// those layouts route curves slowly, and straight lines read as well
	// in a drawing of that size.
	Layout string
}

// Drawing is a graph ready for Graphviz.
type Drawing struct {
	DOT      []byte
	Selected int    // nodes chosen before folding
	Nodes    int    // nodes drawn, folded groups counting one each
	Edges    int    // edges drawn
	Folded   []Fold // groups of nodes drawn as one
	Layout   string // the layout chosen: "dot" unless Options.Layout says otherwise
}

// AutoLayout is the layout "auto" chooses for a drawing of that size.
func AutoLayout(nodes, edges int) string {
	if nodes > 150 || edges > 400 {
		return "sfdp"
	}
	return "dot"
}

// Fold is a group of similar nodes drawn as one.
type Fold struct {
	ID     string
	Label  string
	Count  int
	Effect graph.Effect // the worst effect among them
}

// Palette: a sequential ramp, dark for the worst effect, whose lightness
// falls with severity, so that it reads in greyscale and for colour-blind
// readers (ColorBrewer OrRd). Borders add a second cue.
var (
	fill = map[graph.Effect]string{
		graph.Compromised: "#7f0000",
		graph.Disrupted:   "#d7301f",
		graph.Degraded:    "#fc8d59",
		graph.Exposed:     "#fdd49e",
		graph.Unaffected:  "#ffffff",
	}
	fontColour = map[graph.Effect]string{graph.Compromised: "#ffffff", graph.Disrupted: "#ffffff"}
	border     = map[graph.Effect]string{
		graph.Compromised: `penwidth=3, color="#000000"`,
		graph.Disrupted:   `penwidth=2, color="#000000"`,
		graph.Degraded:    `penwidth=1.5, color="#000000"`,
		graph.Exposed:     `penwidth=1.5, color="#000000"`,
		graph.Unaffected:  `penwidth=1, color="#969696"`,
	}
)

// edgeStyle is the DOT style of a line of the relation, from its declaration.
func edgeStyle(r model.Relation) string {
	if info := r.Info(); info != nil {
		return info.Style
	}
	return ""
}

// relOrder ranks relations by how much they carry, for edge styles.
func relOrder(r model.Relation) int {
	if info := r.Info(); info != nil {
		return info.Weight
	}
	return len(model.AllRelations())
}

// relLabel is the text of the relation on a line and in the legend.
func relLabel(r model.Relation) string {
	if info := r.Info(); info != nil {
		return info.Label
	}
	return string(r)
}

// FillColour returns the colour that marks an effect.
func FillColour(e graph.Effect) string { return fill[e] }

type edgeKey struct {
	from, to string
}

// drawEdge is every relation between two drawn nodes, drawn as one edge.
type drawEdge struct {
	rels map[model.Relation]int
	hot  graph.Effect // the effect it carries on an explaining path, or Unaffected
}

// DOT draws the graph.
func DOT(g *graph.Graph, opt Options) *Drawing {
	max := opt.MaxNodes
	if max <= 0 {
		max = DefaultMaxNodes
	}
	nodes := g.Nodes() // id order
	effect := map[string]graph.Effect{}
	seed := map[string]bool{}
	for _, n := range nodes {
		effect[n.ID] = graph.Unaffected
	}
	if im := opt.Impact; im != nil {
		for _, a := range im.Affected {
			effect[a.ID] = a.Impact
		}
		for _, s := range im.Seeds {
			seed[s] = true
		}
	}
	m := g.Model()
	// Choose the nodes.
	chosen := map[string]bool{}
	if opt.Impact != nil && opt.Focus {
		for id, e := range effect {
			if e != graph.Unaffected {
				chosen[id] = true
			}
		}
		near := map[string]bool{}
		for _, d := range m.Dependencies {
			if chosen[d.From] {
				near[d.To] = true
			}
			if chosen[d.To] {
				near[d.From] = true
			}
		}
		for _, n := range nodes {
			if n.Operator != "" && (chosen[n.ID] || chosen[n.Operator]) {
				near[n.ID], near[n.Operator] = true, true
			}
		}
		for id := range near {
			chosen[id] = true
		}
	} else {
		for _, n := range nodes {
			chosen[n.ID] = true
		}
	}
	var selected []*model.Node
	for _, n := range nodes {
		if chosen[n.ID] {
			selected = append(selected, n)
		}
	}
	d := &Drawing{Selected: len(selected)}
	rep, folds := fold(g, selected, effect, seed, max)
	d.Folded = folds
	foldByID := map[string]*Fold{}
	for i := range folds {
		foldByID[folds[i].ID] = &folds[i]
	}
	// Edges between representatives, with the steps of explaining paths hot.
	edges := map[edgeKey]*drawEdge{}
	addEdge := func(from, to string, rel model.Relation) *drawEdge {
		a, okA := rep[from]
		b, okB := rep[to]
		if !okA || !okB || a == b {
			return nil
		}
		// In focus, context is for the affected: an edge between two
		// unaffected nodes only clutters.
		if opt.Focus && effect[from] == graph.Unaffected && effect[to] == graph.Unaffected {
			return nil
		}
		k := edgeKey{a, b}
		e := edges[k]
		if e == nil {
			e = &drawEdge{rels: map[model.Relation]int{}, hot: graph.Unaffected}
			edges[k] = e
		}
		e.rels[rel]++
		return e
	}
	for _, n := range nodes {
		if n.Operator != "" {
			addEdge(n.ID, n.Operator, graph.Operator)
		}
	}
	for _, dep := range m.Dependencies {
		addEdge(dep.From, dep.To, dep.Type)
	}
	if im := opt.Impact; im != nil {
		for _, a := range im.Affected {
			for i, rel := range a.Via {
				provider, consumer := a.Path[i], a.Path[i+1]
				k := edgeKey{rep[consumer], rep[provider]} // drawn as "depends on"
				if rel.BothWays() && edges[k] == nil {
					k = edgeKey{rep[provider], rep[consumer]}
				}
				if e := edges[k]; e != nil && effect[a.Path[i+1]] < e.hot {
					e.hot = effect[a.Path[i+1]]
				}
			}
		}
	}

	// The body comes first: the header's lines depend on its size.
	var b bytes.Buffer

	// Nodes, clustered by ICB.
	type drawn struct {
		id, icb, line string
	}
	var all []drawn
	icbName := map[string]string{}
	for _, n := range nodes {
		if n.Kind == "icb" && n.Class == model.ClassOrganisation {
			icbName[n.ID] = n.Name
		}
	}
	seen := map[string]bool{}
	for _, n := range selected {
		r := rep[n.ID]
		if seen[r] {
			continue
		}
		seen[r] = true
		if f := foldByID[r]; f != nil {
			all = append(all, drawn{r, n.ICB, foldLine(f, n)})
			continue
		}
		icb := n.ICB
		if n.Kind == "icb" && n.Class == model.ClassOrganisation {
			icb = n.ID
		}
		all = append(all, drawn{n.ID, icb, nodeLine(n, effect[n.ID], seed[n.ID])})
	}
	d.Nodes = len(all)
	byICB := map[string][]string{}
	var icbs []string
	for _, x := range all {
		if _, ok := byICB[x.icb]; !ok && x.icb != "" {
			icbs = append(icbs, x.icb)
		}
		byICB[x.icb] = append(byICB[x.icb], x.line)
	}
	for _, line := range byICB[""] {
		b.WriteString("  " + line + "\n")
	}
	sort.Strings(icbs)
	for _, icb := range icbs {
		name := icbName[icb]
		if name == "" {
			name = icb
		}
		fmt.Fprintf(&b, "  subgraph %s {\n    label=%s; style=rounded; color=\"#bdbdbd\"; fontsize=12;\n", quote("cluster_"+icb), quote(name))
		for _, line := range byICB[icb] {
			b.WriteString("    " + line + "\n")
		}
		b.WriteString("  }\n")
	}
	// Edges, sorted.
	keys := make([]edgeKey, 0, len(edges))
	for k := range edges {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, c := keys[i], keys[j]
		if a.from != c.from {
			return a.from < c.from
		}
		return a.to < c.to
	})
	for _, k := range keys {
		e := edges[k]
		rels := make([]model.Relation, 0, len(e.rels))
		for r := range e.rels {
			rels = append(rels, r)
		}
		sort.Slice(rels, func(i, j int) bool { return relOrder(rels[i]) < relOrder(rels[j]) })
		var parts []string
		for _, r := range rels {
			part := relLabel(r)
			if n := e.rels[r]; n > 1 {
				part += fmt.Sprintf(" ×%d", n)
			}
			parts = append(parts, part)
		}
		label := strings.Join(parts, ", ")
		if len(keys) > 150 {
			label = "" // past this, labels only clutter; the line style tells the relation
		}
		attrs := edgeStyle(rels[0]) // the strongest relation sets the style
		if e.hot != graph.Unaffected {
			attrs += fmt.Sprintf(`, color=%s, penwidth=3, class="path %s"`, quote(fill[e.hot]), e.hot)
			if e.hot == graph.Exposed || e.hot == graph.Degraded {
				attrs += `, color="#b30000"`
			}
		}
		fmt.Fprintf(&b, "  %s -> %s [label=%s, %s];\n", quote(k.from), quote(k.to), quote(label), attrs)
	}
	d.Edges = len(keys)
	writeLegend(&b, opt.Impact != nil)
	b.WriteString("}\n")
	switch d.Layout = opt.Layout; d.Layout {
	case "", "dot":
		d.Layout = "dot"
	case "auto":
		d.Layout = AutoLayout(d.Nodes, d.Edges)
	}
	splines := "true"
	if d.Layout != "dot" {
		splines = "line"
	}
	var h bytes.Buffer
	h.WriteString("digraph blastradius {\n")
	fmt.Fprintf(&h, "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=16, labelloc=t, label=%s, nodesep=0.25, ranksep=0.6, splines=%s, outputorder=edgesfirst, overlap=prism, sep=\"+4\"];\n", quote(opt.Title), splines)
	h.WriteString("  node [fontname=\"Helvetica\", fontsize=10, style=filled];\n")
	h.WriteString("  edge [fontname=\"Helvetica\", fontsize=8, color=\"#525252\", arrowsize=0.7];\n")
	d.DOT = append(h.Bytes(), b.Bytes()...)
	return d
}

func nodeLine(n *model.Node, e graph.Effect, isSeed bool) string {
	kind := n.Kind
	if n.Class == model.ClassService {
		kind += " service"
	}
	if n.ODS != "" {
		kind += " · " + n.ODS
	}
	label := wrap(n.Name, 26) + "\n" + kind
	shape := `shape=box, style="rounded,filled"`
	if n.Class == model.ClassService {
		shape = `shape=ellipse, style=filled`
	}
	extra := ""
	if isSeed {
		extra = ", peripheries=2"
	}
	if e == graph.Exposed {
		shape = strings.Replace(shape, `filled"`, `filled,dashed"`, 1)
		if n.Class == model.ClassService {
			shape = `shape=ellipse, style="filled,dashed"`
		}
	}
	return fmt.Sprintf("%s [id=%s, label=%s, %s, fillcolor=%s, fontcolor=%s, %s, class=%s%s];",
		quote(n.ID), quote(n.ID), quote(label), shape, quote(fill[e]), quote(fontOf(e)), border[e], quote(e.String()), extra)
}

func foldLine(f *Fold, sample *model.Node) string {
	shape := `shape=box3d, style=filled`
	if sample.Class == model.ClassService {
		shape = `shape=doubleoctagon, style=filled`
	}
	return fmt.Sprintf("%s [id=%s, label=%s, %s, fillcolor=%s, fontcolor=%s, %s, class=%s];",
		quote(f.ID), quote(f.ID), quote(f.Label), shape, quote(fill[f.Effect]), quote(fontOf(f.Effect)), border[f.Effect], quote(f.Effect.String()))
}

func fontOf(e graph.Effect) string {
	if c, ok := fontColour[e]; ok {
		return c
	}
	return "#000000"
}

func writeLegend(b *bytes.Buffer, withEffects bool) {
	b.WriteString("  subgraph cluster_legend {\n    label=\"Legend (A → B: A depends on B)\"; style=rounded; color=\"#bdbdbd\"; fontsize=12;\n")
	var column []string
	if withEffects {
		for _, e := range []graph.Effect{graph.Compromised, graph.Disrupted, graph.Degraded, graph.Exposed, graph.Unaffected} {
			id := "legend-" + e.String()
			style := `shape=box, style="rounded,filled"`
			if e == graph.Exposed {
				style = `shape=box, style="rounded,filled,dashed"`
			}
			fmt.Fprintf(b, "    %s [id=%s, label=%s, %s, fillcolor=%s, fontcolor=%s, %s, class=\"legend\"];\n", quote(id), quote(id), quote(e.String()), style, quote(fill[e]), quote(fontOf(e)), border[e])
			column = append(column, quote(id))
		}
	}
	b.WriteString("    \"legend-org\" [id=\"legend-org\", label=\"organisation\", shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", class=\"legend\"];\n")
	b.WriteString("    \"legend-svc\" [id=\"legend-svc\", label=\"shared service\", shape=ellipse, style=filled, fillcolor=\"#ffffff\", class=\"legend\"];\n")
	b.WriteString("    \"legend-fold\" [id=\"legend-fold\", label=\"several similar nodes\", shape=box3d, style=filled, fillcolor=\"#ffffff\", class=\"legend\"];\n")
	column = append(column, `"legend-org"`, `"legend-svc"`, `"legend-fold"`)
	// Graphviz stacks a rank from the bottom up in this layout: list it
	// backwards so that the worst effect is on top.
	for i, j := 0, len(column)-1; i < j; i, j = i+1, j-1 {
		column[i], column[j] = column[j], column[i]
	}
	fmt.Fprintf(b, "    { rank=same; %s }\n", strings.Join(column, "; "))
	// The relations a dependency may have, then those that follow from
	// the model (operator), in the order of their declaration.
	rels := slices.Clone(model.Relations)
	for _, r := range model.AllRelations() {
		if !r.Written {
			rels = append(rels, r.Relation)
		}
	}
	var tails []string
	for i, r := range rels {
		a, c := fmt.Sprintf("legend-rel-%d-a", i), fmt.Sprintf("legend-rel-%d-b", i)
		fmt.Fprintf(b, "    %s [label=\"\", shape=point, width=0.05, class=\"legend\"]; %s [label=\"\", shape=point, width=0.05, class=\"legend\"];\n", quote(a), quote(c))
		fmt.Fprintf(b, "    %s -> %s [label=%s, %s];\n", quote(a), quote(c), quote(relLabel(r)), edgeStyle(r))
		tails = append(tails, quote(a))
	}
	fmt.Fprintf(b, "    { rank=same; %s }\n", strings.Join(tails, "; "))
	b.WriteString("  }\n")
}

// quote writes a DOT string.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "")
	return `"` + r.Replace(s) + `"`
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
