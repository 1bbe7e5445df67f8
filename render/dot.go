// Package render draws a model, or the blast radius of a scenario, as a
// Graphviz DOT graph. Lines point the way an effect spreads, from provider to
// consumer; nodes are filled by their worst effect and marked with the
// others, their seeds and their controls; the steps along each explaining
// path are highlighted; organisations are clustered by ICB. The title names
// the scenario and its what-if, and a compact legend of what the drawing
// holds sits in its top-left corner. Large drawings are cut down: focus
// keeps the blast radius and the neighbours that best explain it, and
// similar nodes fold into one with a count. The DOT text is deterministic:
// the same input gives the same bytes.
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
	"github.com/blastradius/blastradius/internal/textsafe"
	"github.com/blastradius/blastradius/model"
)

// DefaultMaxNodes is how many nodes a drawing holds before similar ones
// fold: the dot layout takes about a second at this size on two cores.
const DefaultMaxNodes = 120

// DefaultContext is how many unaffected nodes a focused drawing shows
// around the blast radius, those that explain it best first.
const DefaultContext = 30

// Values of Options.Context beside a count.
const (
	AllContext = -1 // every unaffected neighbour
	NoContext  = -2 // none: the radius alone
)

// Options say what to draw.
type Options struct {
	Impact *graph.Impact // nil draws the network without a scenario
	Focus  bool          // draw only the affected nodes and some of their neighbours
	// Context is how many unaffected neighbours of the radius a focused
	// drawing shows: 0 means DefaultContext; AllContext, NoContext.
	Context  int
	MaxNodes int    // fold similar nodes above this; 0 means DefaultMaxNodes
	Title    string // the heading; "" means the scenario's name or the seeds
	Subtitle string // a line under the heading, such as the radius in words
	Scenario string // the scenario drawn, if it has a name
	// Assume is the scenario's what-if: said under the title, and the
	// nodes and lines it changes are marked. The graph drawn must already
	// hold it (model.Apply).
	Assume model.Assumptions
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
	// In focus: the unaffected neighbours of the radius drawn as context,
	// and those left out.
	Context, Omitted int
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
	// pathColour is the colour of a step on an explaining path, by the
	// effect it carries: the fill, darkened where a line of it would not
	// show on white.
	pathColour = map[graph.Effect]string{
		graph.Compromised: "#7f0000",
		graph.Disrupted:   "#d7301f",
		graph.Degraded:    "#f16913",
		graph.Exposed:     "#bf812d",
	}
	pathWords = map[graph.Effect]string{
		graph.Compromised: "spreads compromise",
		graph.Disrupted:   "spreads an outage",
		graph.Degraded:    "spreads degradation",
		graph.Exposed:     "exposes data",
	}
)

// assumedColour marks what the scenario's what-if changed: a hue apart from
// the ramp of effects.
const assumedColour = "#2171b5"

// alternative is not a relation but a line a drawing adds: from the
// alternative provider of a dependency to its consumer, which can turn to
// it when the provider is down.
const alternative model.Relation = "alternative"

// edgeStyle is the DOT style of a line of the relation, from its declaration.
func edgeStyle(r model.Relation) string {
	if info := r.Info(); info != nil {
		return info.Style
	}
	if r == alternative {
		return `style=dotted, color="#969696"`
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

// PathColour returns the colour of a step on an explaining path that
// carries an effect.
func PathColour(e graph.Effect) string { return pathColour[e] }

// edgeKey is a line as drawn: from the provider to the consumer.
type edgeKey struct {
	from, to string
}

// drawEdge is every relation between two drawn nodes, drawn as one edge.
type drawEdge struct {
	rels    map[model.Relation]int
	hot     graph.Effect // the effect it carries on an explaining path, or Unaffected
	assumed bool         // a dependency the what-if adds
}

// DOT draws the graph. Lines point the way an effect spreads: from the
// provider to the consumer, from an operator to its service.
func DOT(g *graph.Graph, opt Options) *Drawing {
	max := opt.MaxNodes
	if max <= 0 {
		max = DefaultMaxNodes
	}
	nodes := g.Nodes() // id order
	effect := map[string]graph.Effect{}
	effects := map[string][]graph.Effect{}
	seed := map[string]bool{}
	for _, n := range nodes {
		effect[n.ID] = graph.Unaffected
	}
	if im := opt.Impact; im != nil {
		for _, a := range im.Affected {
			effect[a.ID] = a.Impact
			effects[a.ID] = a.Effects
		}
		for _, s := range im.Seeds {
			seed[s] = true
		}
	}
	m := g.Model()
	d := &Drawing{}
	// Choose the nodes.
	chosen := map[string]bool{}
	if opt.Impact != nil && opt.Focus {
		for id, e := range effect {
			if e != graph.Unaffected {
				chosen[id] = true
			}
		}
		near := explainingContext(g, effect, opt.Assume)
		keep := len(near)
		switch {
		case opt.Context == 0:
			keep = min(keep, DefaultContext)
		case opt.Context == NoContext:
			keep = 0
		case opt.Context > 0:
			keep = min(keep, opt.Context)
		}
		for _, id := range near[:keep] {
			chosen[id] = true
		}
		d.Context, d.Omitted = keep, len(near)-keep
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
	d.Selected = len(selected)
	rep, folds := fold(g, selected, effect, seed, max)
	d.Folded = folds
	foldByID := map[string]*Fold{}
	for i := range folds {
		foldByID[folds[i].ID] = &folds[i]
	}
	// Edges between representatives, provider to consumer, with the steps
	// of explaining paths hot.
	edges := map[edgeKey]*drawEdge{}
	addEdge := func(provider, consumer string, rel model.Relation) *drawEdge {
		a, okA := rep[provider]
		b, okB := rep[consumer]
		if !okA || !okB || a == b {
			return nil
		}
		// In focus, context is for the affected: an edge between two
		// unaffected nodes only clutters.
		if opt.Focus && effect[provider] == graph.Unaffected && effect[consumer] == graph.Unaffected {
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
			addEdge(n.Operator, n.ID, graph.Operator)
		}
	}
	for _, dep := range m.Dependencies {
		for _, alt := range dep.Alternatives {
			addEdge(alt, dep.From, alternative)
		}
		e := addEdge(dep.To, dep.From, dep.Type)
		if e != nil && slices.ContainsFunc(opt.Assume.Add, func(x *model.Dependency) bool {
			return x.From == dep.From && x.To == dep.To && x.Type == dep.Type
		}) {
			e.assumed = true
		}
	}
	if im := opt.Impact; im != nil {
		for _, a := range im.Affected {
			for i, rel := range a.Via {
				provider, consumer := a.Path[i], a.Path[i+1]
				k := edgeKey{rep[provider], rep[consumer]}
				if rel.BothWays() && edges[k] == nil {
					k = edgeKey{rep[consumer], rep[provider]}
				}
				if e := edges[k]; e != nil && effect[consumer] < e.hot {
					e.hot = effect[consumer]
				}
			}
		}
	}
	h := &header{impact: opt.Impact != nil}
	assumedControls := map[string][]string{}
	for _, c := range opt.Assume.Controls {
		for _, r := range c.Controls {
			assumedControls[c.ID.Value] = append(assumedControls[c.ID.Value], r.Value)
		}
	}
	for _, c := range opt.Assume.RemoveControls {
		for _, r := range c.Controls {
			assumedControls[c.ID.Value] = append(assumedControls[c.ID.Value], "no "+r.Value)
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
	stopping := model.Stopping()
	controlsUsed := map[string]bool{}
	seen := map[string]bool{}
	for _, n := range selected {
		r := rep[n.ID]
		if seen[r] {
			continue
		}
		seen[r] = true
		h.services = h.services || n.Class == model.ClassService
		h.orgs = h.orgs || n.Class == model.ClassOrganisation
		if f := foldByID[r]; f != nil {
			h.folded = true
			all = append(all, drawn{r, n.ICB, foldLine(f, n)})
			continue
		}
		icb := n.ICB
		if n.Kind == "icb" && n.Class == model.ClassOrganisation {
			icb = n.ID
		}
		mk := marks{effects: effects[n.ID], seed: seed[n.ID], assumed: assumedControls[n.ID]}
		for _, c := range stopping {
			if n.Has(c) {
				mk.controls = append(mk.controls, c)
				controlsUsed[c] = true
			}
		}
		h.seed = h.seed || mk.seed
		h.assumed = h.assumed || len(mk.assumed) > 0
		h.exposedRing = h.exposedRing || (effect[n.ID] < graph.Exposed && slices.Contains(mk.effects, graph.Exposed))
		all = append(all, drawn{n.ID, icb, nodeLine(n, effect[n.ID], mk)})
	}
	for _, c := range stopping {
		if controlsUsed[c] {
			h.controls = append(h.controls, c)
		}
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
	d.Edges = len(keys)
	switch d.Layout = opt.Layout; d.Layout {
	case "", "dot":
		d.Layout = "dot"
	case "auto":
		d.Layout = AutoLayout(d.Nodes, d.Edges)
	}
	relsDrawn := map[model.Relation]bool{}
	hotDrawn := map[graph.Effect]bool{}
	for _, k := range keys {
		e := edges[k]
		rels := make([]model.Relation, 0, len(e.rels))
		for r := range e.rels {
			rels = append(rels, r)
			relsDrawn[r] = true
		}
		sort.Slice(rels, func(i, j int) bool { return relOrder(rels[i]) < relOrder(rels[j]) })
		var parts, classes []string
		for _, r := range rels {
			part := relLabel(r)
			if n := e.rels[r]; n > 1 {
				part += fmt.Sprintf(" ×%d", n)
			}
			parts = append(parts, part)
			classes = append(classes, string(r))
		}
		label := strings.Join(parts, ", ")
		if len(keys) > 150 || d.Layout != "dot" {
			// Past this, labels only clutter, and the force-directed
			// layouts of go-graphviz fail on straight lines with labels;
			// the line style tells the relation.
			label = ""
		}
		attrs := edgeStyle(rels[0]) // the strongest relation sets the style
		if rels[0].BothWays() && len(rels) > 1 {
			// A link drawn with a relation that has a direction keeps
			// that relation's arrowhead.
			attrs = strings.ReplaceAll(strings.ReplaceAll(attrs, ", dir=none", ""), "dir=none", "")
		}
		if e.assumed {
			attrs += fmt.Sprintf(", color=%s", quote(assumedColour))
			classes = append(classes, "assumed")
		}
		if e.hot != graph.Unaffected {
			attrs += fmt.Sprintf(", color=%s, penwidth=3", quote(pathColour[e.hot]))
			classes = append(classes, "path", e.hot.String())
			hotDrawn[e.hot] = true
		}
		fmt.Fprintf(&b, "  %s -> %s [label=%s, %s, class=%s];\n", quote(k.from), quote(k.to), quote(label), attrs, quote(strings.Join(classes, " ")))
	}
	// The relations drawn, in the order of their declaration, and the
	// effects their highlighted steps carry, worst first.
	for _, r := range model.AllRelations() {
		if relsDrawn[r.Relation] {
			h.rels = append(h.rels, r.Relation)
		}
	}
	if relsDrawn[alternative] {
		h.rels = append(h.rels, alternative)
	}
	for _, e := range graph.Effects {
		if hotDrawn[e] {
			h.paths = append(h.paths, e)
		}
	}
	b.WriteString("}\n")
	splines := "true"
	if d.Layout != "dot" {
		splines = "line"
	}
	h.title = opt.Title
	if h.title == "" {
		h.title = opt.Scenario
	}
	if h.title == "" && opt.Impact != nil {
		h.title = fmt.Sprintf("Blast radius of %s (%s)", strings.Join(opt.Impact.Seeds, ", "), opt.Impact.Mode)
	}
	h.subtitle = opt.Subtitle
	h.assume = assumptionWords(opt.Assume)
	if d.Omitted > 0 {
		h.context = fmt.Sprintf("context: %d of the %d unaffected neighbours of the radius, those that explain it best", d.Context, d.Context+d.Omitted)
	}
	var hd bytes.Buffer
	hd.WriteString("digraph blastradius {\n")
	fmt.Fprintf(&hd, "  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, labeljust=l, label=%s, nodesep=0.25, ranksep=0.6, splines=%s, outputorder=edgesfirst, overlap=scale, sep=\"+4\"];\n", h.graphLabel(), splines)
	hd.WriteString("  node [fontname=\"Helvetica\", fontsize=10, style=filled];\n")
	hd.WriteString("  edge [fontname=\"Helvetica\", fontsize=8, color=\"#525252\", arrowsize=0.7];\n")
	// A name from a model that holds a character changing how text is
	// shown is drawn with it escaped.
	d.DOT = []byte(textsafe.Escape(string(append(hd.Bytes(), b.Bytes()...))))
	return d
}

// marks is what a node's drawing says beyond its worst effect.
type marks struct {
	effects  []graph.Effect // every effect, worst first
	seed     bool
	controls []string // the controls it has that stop some effect
	assumed  []string // controls the what-if gives it ("mfa") or takes away ("no mfa")
}

func nodeLine(n *model.Node, e graph.Effect, mk marks) string {
	kind := n.Kind
	if n.Class == model.ClassService {
		kind += " service"
	}
	if n.ODS != "" {
		kind += " · " + n.ODS
	}
	label := wrap(n.Name, 26) + "\n" + kind
	// The marks line: controls as badges, then the effects beyond the worst.
	var line []string
	for _, c := range mk.controls {
		bd := badge(c)
		if slices.Contains(mk.assumed, c) {
			bd += " (assumed)"
		}
		line = append(line, bd)
	}
	for _, c := range mk.assumed {
		if strings.HasPrefix(c, "no ") {
			line = append(line, "no "+badge(strings.TrimPrefix(c, "no "))+" (assumed)")
		}
	}
	for _, x := range mk.effects {
		if x != e {
			line = append(line, "also "+x.String())
		}
	}
	if len(line) > 0 {
		label += "\n" + strings.Join(line, " · ")
	}
	styles := []string{"filled"}
	shape := "box"
	if n.Class == model.ClassService {
		shape = "ellipse"
	} else {
		styles = []string{"rounded", "filled"}
	}
	exposed := slices.Contains(mk.effects, graph.Exposed)
	if exposed {
		styles = append(styles, "dashed")
	}
	extra := ""
	switch {
	case mk.seed:
		extra = ", peripheries=2"
	case exposed && e != graph.Exposed:
		extra = ", peripheries=2" // a dashed ring around the worst effect's fill
	}
	bd := border[e]
	if len(mk.assumed) > 0 {
		bd = fmt.Sprintf("penwidth=2.5, color=%s", quote(assumedColour))
	}
	classes := []string{string(n.Class), n.Kind}
	if len(mk.effects) == 0 {
		classes = append(classes, graph.Unaffected.String())
	}
	for _, x := range mk.effects {
		classes = append(classes, x.String())
	}
	if mk.seed {
		classes = append(classes, "seed")
	}
	classes = append(classes, mk.controls...)
	if len(mk.assumed) > 0 {
		classes = append(classes, "assumed")
	}
	return fmt.Sprintf("%s [id=%s, label=%s, shape=%s, style=%s, fillcolor=%s, fontcolor=%s, %s, class=%s%s];",
		quote(n.ID), quote(n.ID), quote(label), shape, quote(strings.Join(styles, ",")), quote(fill[e]), quote(fontOf(e)), bd, quote(strings.Join(classes, " ")), extra)
}

func foldLine(f *Fold, sample *model.Node) string {
	shape := `shape=box3d, style=filled`
	if sample.Class == model.ClassService {
		shape = `shape=doubleoctagon, style=filled`
	}
	class := []string{"folded", string(sample.Class), sample.Kind, f.Effect.String()}
	return fmt.Sprintf("%s [id=%s, label=%s, %s, fillcolor=%s, fontcolor=%s, %s, class=%s];",
		quote(f.ID), quote(f.ID), quote(f.Label), shape, quote(fill[f.Effect]), quote(fontOf(f.Effect)), border[f.Effect], quote(strings.Join(class, " ")))
}

func fontOf(e graph.Effect) string {
	if c, ok := fontColour[e]; ok {
		return c
	}
	return "#000000"
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
