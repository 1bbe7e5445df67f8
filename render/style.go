package render

import (
	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// How the scene looks, whatever the format it is written in.

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

// FillColour returns the colour that marks an effect.
func FillColour(e graph.Effect) string { return fill[e] }

func fontOf(e graph.Effect) string {
	if c, ok := fontColour[e]; ok {
		return c
	}
	return "#000000"
}

// alternative is not a relation but a line a drawing adds: from the
// alternative provider of a dependency to its consumer, which can turn to
// it when the provider is down.
const alternative model.Relation = "alternative"

// lineStyle is how a line of one relation is drawn.
type lineStyle struct {
	dot   string // the DOT attribute list of the line
	label string // the relation's words on a line and in the legend
	// weight orders the relations named on one line, lowest first: the
	// relation that carries most comes first, and its style is the line's.
	weight int
}

// lineStyles is the drawing of every declared relation, and of the
// alternative line. The relations mean what model declares; this says only
// how they look, and a test walks every declared relation over it.
var lineStyles = map[model.Relation]lineStyle{
	model.Hosting:  {`style=solid, penwidth=2, arrowhead=box`, "hosting", 0},
	model.Access:   {`style=dotted, arrowhead=vee`, "access", 1},
	model.Network:  {`style=bold, dir=none`, "network", 2},
	model.Service:  {`style=solid`, "service", 3},
	model.Data:     {`style=dashed`, "data", 4},
	model.Operator: {`style=dashed, color="#969696", arrowhead=odot`, "operates", 5},
	alternative:    {`style=dotted, color="#969696"`, "alternative", 6},
}

// edgeStyle is the DOT style of a line of the relation.
func edgeStyle(r model.Relation) string { return lineStyles[r].dot }

// relOrder ranks relations by how much they carry, for edge styles; one
// without a style comes last.
func relOrder(r model.Relation) int {
	if st, ok := lineStyles[r]; ok {
		return st.weight
	}
	return len(lineStyles)
}

// relLabel is the text of the relation on a line and in the legend.
func relLabel(r model.Relation) string {
	if st, ok := lineStyles[r]; ok {
		return st.label
	}
	return string(r)
}
