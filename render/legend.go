package render

import (
	"fmt"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// The title and the legend are one HTML-like label of the graph, placed
// above the drawing at its left: Graphviz keeps the graph's label clear of
// every node and edge, whatever the layout, so the legend always sits in the
// top-left corner and never among the nodes. It shows only what the drawing
// holds: the effects of a scenario, the relations drawn, the marks used.

// legendFont is the point size of the legend's text.
const legendFont = 9

// graphLabel writes the graph's label: title, subtitle, what-if, context and
// the legend, as an HTML-like table.
func graphLabel(s *Scene) string {
	var b strings.Builder
	b.WriteString(`<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">`)
	if s.Title != "" {
		var parts []string
		for _, l := range strings.Split(wrap(s.Title, 60), "\n") {
			parts = append(parts, esc(l))
		}
		fmt.Fprintf(&b, `<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="16"><B>%s</B></FONT></TD></TR>`, strings.Join(parts, `<BR ALIGN="LEFT"/>`))
	}
	// Lines are wrapped short, so that the legend, not a long line,
	// sets the width: a table inside a wider cell is stretched.
	line := func(s string) {
		var parts []string
		for _, l := range strings.Split(wrap(s, 72), "\n") {
			parts = append(parts, esc(l))
		}
		fmt.Fprintf(&b, `<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="11">%s</FONT></TD></TR>`, strings.Join(parts, `<BR ALIGN="LEFT"/>`))
	}
	if s.Subtitle != "" {
		line(s.Subtitle)
	}
	if len(s.Assume) > 0 {
		line("assuming: " + strings.Join(s.Assume, "; "))
	}
	if s.Note != "" {
		line(s.Note)
	}
	b.WriteString(`<TR><TD ALIGN="LEFT" CELLPADDING="4">`)
	legend(&b, &s.Legend)
	b.WriteString(`</TD></TR></TABLE>>`)
	return b.String()
}

// legend writes the legend: columns of marks, each with its words.
func legend(b *strings.Builder, lg *Legend) {
	var cols [][]string // each column is rows of <TD>s (two cells each)
	if lg.Effects {
		cols = append(cols, effectsColumn(lg))
	}
	cols = append(cols, relationsColumn(lg), marksColumn(lg))
	b.WriteString(`<TABLE BORDER="1" COLOR="#737373" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1" BGCOLOR="#ffffff"><TR>`)
	for i, col := range cols {
		if len(col) == 0 {
			continue
		}
		if i > 0 {
			b.WriteString(`<TD WIDTH="6"></TD>`)
		}
		b.WriteString(`<TD VALIGN="TOP"><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">`)
		for _, row := range col {
			b.WriteString("<TR>" + row + "</TR>")
		}
		b.WriteString(`</TABLE></TD>`)
	}
	b.WriteString(`</TR></TABLE>`)
}

// txt is a cell of the legend's words.
func txt(s string) string {
	return fmt.Sprintf(`<TD ALIGN="LEFT"><FONT POINT-SIZE="%d">%s</FONT></TD>`, legendFont, esc(s))
}

// swatch is a cell of colour with a border.
func swatch(fillc, border string, width int) string {
	return fmt.Sprintf(`<TD BGCOLOR="%s" COLOR="%s" BORDER="%d" WIDTH="18" HEIGHT="10" FIXEDSIZE="TRUE"></TD>`, fillc, border, width)
}

// effectsColumn explains the fills, the dashed ring and the seed's ring.
func effectsColumn(lg *Legend) []string {
	var effects []string
	for _, e := range []graph.Effect{graph.Compromised, graph.Disrupted, graph.Degraded, graph.Exposed, graph.Unaffected} {
		words := e.String()
		if e == graph.Exposed {
			words += " (dashed border)"
		}
		effects = append(effects, swatch(fill[e], "#000000", 1)+txt(words))
	}
	if lg.ExposedRing {
		effects = append(effects, `<TD>`+dashes("dashed", 2, "#000000", 18)+`</TD>`+txt("dashed double ring: data also exposed"))
	}
	if lg.Seed {
		effects = append(effects, `<TD><TABLE BORDER="1" CELLBORDER="1" CELLSPACING="1" CELLPADDING="0" COLOR="#000000"><TR><TD WIDTH="12" HEIGHT="5" FIXEDSIZE="TRUE"></TD></TR></TABLE></TD>`+txt("double ring: a seed"))
	}
	return effects
}

// relationsColumn explains the line of each relation drawn.
func relationsColumn(lg *Legend) []string {
	lines := []string{`<TD COLSPAN="2" ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="9"><B>arrows: the way an effect spreads,<BR/>from provider to consumer</B></FONT></TD>`}
	for _, r := range lg.Relations {
		words := relLabel(r)
		if r.BothWays() {
			words += " (no arrowheads: both ways)"
		}
		if r == graph.Operator {
			words += " (operator → its service)"
		}
		if r == alternative {
			words += " provider, to turn to when the provider is down"
		}
		lines = append(lines, lineSample(edgeStyle(r))+txt(words))
	}
	return lines
}

// marksColumn explains the paths, shapes, folds, badges and the what-if's
// blue.
func marksColumn(lg *Legend) []string {
	var marks []string
	for _, e := range lg.Paths {
		marks = append(marks, fmt.Sprintf(`<TD WIDTH="24" HEIGHT="6" FIXEDSIZE="TRUE" CELLPADDING="0" SIDES="B" BORDER="3" COLOR="%s"></TD>`, pathColour[e])+txt("a step that "+pathWords[e]))
	}
	var shapes []string
	if lg.Organisations {
		shapes = append(shapes, "box: organisation")
	}
	if lg.Services {
		shapes = append(shapes, "ellipse: service")
	}
	if len(shapes) > 0 {
		marks = append(marks, `<TD COLSPAN="2" ALIGN="LEFT">`+strings.TrimPrefix(txt(strings.Join(shapes, ", ")), `<TD ALIGN="LEFT">`))
	}
	if lg.Folded {
		marks = append(marks, `<TD COLSPAN="2" ALIGN="LEFT">`+strings.TrimPrefix(txt("3-D box, octagon: several similar nodes, counted by effect, in the colour most of them share"), `<TD ALIGN="LEFT">`))
	}
	for _, c := range lg.Controls {
		marks = append(marks, fmt.Sprintf(`<TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="%d"><B>%s</B>&#160;on a node: it has %s</FONT></TD>`, legendFont, badge(c), esc(c)))
	}
	if lg.Assumed {
		marks = append(marks, swatch("#ffffff", assumedColour, 2)+txt("blue: changed by the what-if"))
	}
	return marks
}

// lineSample draws a short line in a relation's style, with its arrowhead.
func lineSample(style string) string {
	attrs := parseAttrs(style)
	width, colour := 1, "#525252"
	if attrs["style"] == "bold" {
		width = 3
	}
	if attrs["penwidth"] != "" {
		fmt.Sscanf(attrs["penwidth"], "%d", &width)
	}
	if c := attrs["color"]; c != "" {
		colour = c
	}
	head := "►"
	switch {
	case attrs["dir"] == "none":
		head = ""
	case attrs["arrowhead"] == "odot":
		head = "○"
	case attrs["arrowhead"] == "box":
		head = "■"
	case attrs["arrowhead"] == "vee":
		head = "&gt;"
	}
	if head != "" { // an empty FONT element would void the whole label
		head = fmt.Sprintf(`<FONT POINT-SIZE="8" COLOR="%s">%s</FONT>`, colour, head)
	}
	return fmt.Sprintf(`<TD><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR><TD>%s</TD><TD WIDTH="8" HEIGHT="10" FIXEDSIZE="TRUE">%s</TD></TR></TABLE></TD>`,
		dashes(attrs["style"], width, colour, 22), head)
}

// dashes draws a line of a style (solid, dashed or dotted) as a row of
// cells with a bottom border: Graphviz 12 writes the STYLE of a cell
// wrongly in xdot, from which PNGs are painted.
func dashes(style string, width int, colour string, length int) string {
	on, off := length, 0
	switch style {
	case "dashed":
		on, off = 4, 3
	case "dotted":
		on, off = 1, 2
	}
	var b strings.Builder
	b.WriteString(`<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>`)
	for x := 0; x < length; x += on + off {
		// A fixed cell must hold its border on both sides, or Graphviz
		// warns that it is too small for its content.
		fmt.Fprintf(&b, `<TD WIDTH="%d" HEIGHT="6" FIXEDSIZE="TRUE" SIDES="B" BORDER="%d" COLOR="%s"></TD>`, max(min(on, length-x), 2*width), width, colour)
		if off > 0 && x+on < length {
			fmt.Fprintf(&b, `<TD WIDTH="%d" HEIGHT="6" FIXEDSIZE="TRUE"></TD>`, min(off, length-x-on))
		}
	}
	b.WriteString(`</TR></TABLE>`)
	return b.String()
}

// parseAttrs reads a DOT attribute list such as `style=dashed, color="#969696"`.
func parseAttrs(s string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok {
			out[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return out
}

// badge is a control's mark on a node: MFA, SEG.
func badge(control string) string {
	if len(control) <= 4 {
		return strings.ToUpper(control)
	}
	return strings.ToUpper(control[:3])
}

// esc escapes text for an HTML-like label.
func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "\n", " ", "\r", "").Replace(s)
}

// assumptionWords says a scenario's what-if in words, one item a change.
func assumptionWords(a model.Assumptions) []string {
	var out []string
	refs := func(rs []model.Ref) string {
		var s []string
		for _, r := range rs {
			s = append(s, r.Value)
		}
		return strings.Join(s, ", ")
	}
	for _, c := range a.Controls {
		out = append(out, refs(c.Controls)+" on "+c.ID.Value)
	}
	for _, c := range a.RemoveControls {
		out = append(out, "no "+refs(c.Controls)+" on "+c.ID.Value)
	}
	for _, r := range a.Remove {
		rel := ""
		if r.Type != "" {
			rel = " (" + string(r.Type) + ")"
		}
		out = append(out, fmt.Sprintf("%s no longer depends on %s%s", r.From.Value, r.To.Value, rel))
	}
	for _, d := range a.Add {
		out = append(out, fmt.Sprintf("%s depends on %s (%s)", d.From, d.To, d.Type))
	}
	for _, alt := range a.Alternatives {
		out = append(out, fmt.Sprintf("%s can use %s instead of %s", alt.From.Value, refs(alt.Add), alt.To.Value))
	}
	return out
}
