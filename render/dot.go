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
// What a drawing shows is decided once, as a Scene (NewScene); a writer
// says a scene in one format: WriteDOT for Graphviz, WriteGraphML for tools
// that lay out a graph themselves. Laying the DOT out is left to Graphviz
// (see cmd/blastradius-draw).
package render

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/textsafe"
	"github.com/blastradius/blastradius/model"
)

// DefaultMaxNodes is how many nodes a drawing holds before similar ones
// fold: the dot layout takes about a second at this size on two cores.
const DefaultMaxNodes = 120

// DefaultFocusMaxNodes is how many nodes a focused drawing holds by default
// before similar ones fold, by ICB and kind: a radius spread over many ICBs
// otherwise lays out as one column taller than a page.
const DefaultFocusMaxNodes = 40

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
	Scene            *Scene // what is drawn, for another writer (WriteGraphML)
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
	// Counts is how many members each effect reaches, worst first, only
	// the effects some member has; Fill is the effect most of them share
	// (the worse on a tie), whose colour the group is drawn in.
	Counts []EffectCount
	Fill   graph.Effect
	ICB    string // the ICB every member belongs to, or "" if they differ
}

// EffectCount is how many nodes of a group an effect reaches.
type EffectCount struct {
	Effect graph.Effect
	Count  int
}

// DOT draws the graph. Lines point the way an effect spreads: from the
// provider to the consumer, from an operator to its service.
func DOT(g *graph.Graph, opt Options) *Drawing {
	s := NewScene(g, opt)
	var b bytes.Buffer
	WriteDOT(&b, s)
	return &Drawing{DOT: b.Bytes(), Selected: s.Selected, Nodes: len(s.Nodes), Edges: len(s.Edges),
		Folded: s.Folded, Layout: s.Layout, Context: s.Context, Omitted: s.Omitted, Scene: s}
}

// WriteDOT writes the scene as a Graphviz DOT graph: nodes outside any ICB
// first, then one cluster for each ICB, then the lines, each in the order
// of the scene.
func WriteDOT(w io.Writer, s *Scene) error {
	var b bytes.Buffer
	b.WriteString("digraph blastradius {\n")
	splines := "true"
	if s.Layout != "dot" {
		splines = "line"
	}
	fmt.Fprintf(&b, "  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, labeljust=l, label=%s, nodesep=0.25, ranksep=0.6, splines=%s, outputorder=edgesfirst, overlap=scale, sep=\"+4\"];\n", graphLabel(s), splines)
	b.WriteString("  node [fontname=\"Helvetica\", fontsize=10, style=filled];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=8, color=\"#525252\", arrowsize=0.7];\n")
	for _, n := range s.Nodes {
		if n.Cluster == "" {
			b.WriteString("  " + nodeLine(n) + "\n")
		}
	}
	for _, c := range s.Clusters {
		fmt.Fprintf(&b, "  subgraph %s {\n    label=%s; style=rounded; color=\"#bdbdbd\"; fontsize=12;\n", quote("cluster_"+c.ID), quote(c.Label))
		for _, n := range s.Nodes {
			if n.Cluster == c.ID {
				b.WriteString("    " + nodeLine(n) + "\n")
			}
		}
		b.WriteString("  }\n")
	}
	for _, e := range s.Edges {
		b.WriteString("  " + edgeLine(e) + "\n")
	}
	b.WriteString("}\n")
	// A name from a model that holds a character changing how text is
	// shown is drawn with it escaped.
	_, err := io.WriteString(w, textsafe.Escape(b.String()))
	return err
}

// nodeLine is the DOT statement of a node: its shape tells its class, its
// fill and border its worst effect, a dashed border data exposed, a double
// ring a seed (or, dashed, data exposed as well as worse), blue what the
// what-if changed.
func nodeLine(n Node) string {
	if n.Folded > 0 {
		return foldLine(n)
	}
	styles := []string{"filled"}
	shape := "box"
	if n.Class == model.ClassService {
		shape = "ellipse"
	} else {
		styles = []string{"rounded", "filled"}
	}
	exposed := slices.Contains(n.Effects, graph.Exposed)
	if exposed {
		styles = append(styles, "dashed")
	}
	extra := ""
	switch {
	case n.Seed:
		extra = ", peripheries=2"
	case exposed && n.Effect != graph.Exposed:
		extra = ", peripheries=2" // a dashed ring around the worst effect's fill
	}
	bd := border[n.Effect]
	if len(n.Assumed) > 0 {
		bd = fmt.Sprintf("penwidth=2.5, color=%s", quote(assumedColour))
	}
	classes := []string{string(n.Class), n.Kind}
	if len(n.Effects) == 0 {
		classes = append(classes, graph.Unaffected.String())
	}
	for _, x := range n.Effects {
		classes = append(classes, x.String())
	}
	if n.Seed {
		classes = append(classes, "seed")
	}
	classes = append(classes, n.Controls...)
	if len(n.Assumed) > 0 {
		classes = append(classes, "assumed")
	}
	return fmt.Sprintf("%s [id=%s, label=%s, shape=%s, style=%s, fillcolor=%s, fontcolor=%s, %s, class=%s%s];",
		quote(n.ID), quote(n.ID), quote(n.Label), shape, quote(strings.Join(styles, ",")), quote(fill[n.Effect]), quote(fontOf(n.Effect)), bd, quote(strings.Join(classes, " ")), extra)
}

// foldLine is the DOT statement of a group of nodes folded into one.
func foldLine(n Node) string {
	shape := `shape=box3d, style=filled`
	if n.Class == model.ClassService {
		shape = `shape=doubleoctagon, style=filled`
	}
	class := []string{"folded", string(n.Class), n.Kind}
	if len(n.Effects) == 0 {
		class = append(class, graph.Unaffected.String())
	}
	for _, x := range n.Effects {
		class = append(class, x.String())
	}
	// The fill is the effect most members share, not the worst, which
	// may be one member's; the label counts every effect.
	return fmt.Sprintf("%s [id=%s, label=%s, %s, fillcolor=%s, fontcolor=%s, %s, class=%s];",
		quote(n.ID), quote(n.ID), quote(n.Label), shape, quote(fill[n.Fill]), quote(fontOf(n.Fill)), border[n.Fill], quote(strings.Join(class, " ")))
}

// edgeLine is the DOT statement of a line, styled by its strongest
// relation, blue if the what-if adds it, thick in the colour of the effect
// it carries if it is a step on an explaining path.
func edgeLine(e Edge) string {
	strongest := e.Relations[0].Relation
	attrs := edgeStyle(strongest)
	if strongest.BothWays() && len(e.Relations) > 1 {
		// A link drawn with a relation that has a direction keeps
		// that relation's arrowhead.
		attrs = strings.ReplaceAll(strings.ReplaceAll(attrs, ", dir=none", ""), "dir=none", "")
	}
	var classes []string
	for _, r := range e.Relations {
		classes = append(classes, string(r.Relation))
	}
	// One colour: a step of a path is drawn in its effect's, over the
	// what-if's blue, over the relation's own.
	colour := ""
	if e.Assumed {
		colour = assumedColour
		classes = append(classes, "assumed")
	}
	if e.Hot != graph.Unaffected {
		colour = pathColour[e.Hot]
		classes = append(classes, "path", e.Hot.String())
	}
	if colour != "" {
		attrs = without(attrs, "color") + fmt.Sprintf(", color=%s", quote(colour))
	}
	if e.Hot != graph.Unaffected {
		attrs = without(attrs, "penwidth") + ", penwidth=3"
	}
	return fmt.Sprintf("%s -> %s [label=%s, %s, class=%s];", quote(e.From), quote(e.To), quote(e.Label), attrs, quote(strings.Join(classes, " ")))
}

// without is a DOT attribute list without the named attribute, so that
// none is given twice.
func without(attrs, name string) string {
	var kept []string
	for _, a := range strings.Split(attrs, ", ") {
		if !strings.HasPrefix(a, name+"=") {
			kept = append(kept, a)
		}
	}
	return strings.Join(kept, ", ")
}

// quote writes a DOT string.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "")
	return `"` + r.Replace(s) + `"`
}
