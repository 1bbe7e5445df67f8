package render

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/blastradius/blastradius/internal/textsafe"
)

// WriteTimelineSVG writes the timeline as a self-contained SVG: no script,
// no style sheet, every colour a presentation attribute, so that it shows
// under a strict Content-Security-Policy. Each day of each row is one rect
// of class "cell"; each row a group of class "row" (a fold: "row folded")
// with its id as data-id and its whole name as its title, its strained
// days the rects of its group of class "strain" (day d at x=d). Each
// stock is a group of class "stock" with its id as data-id, its level
// each day a rect of its group of class "level" and its alert a dashed
// line of class "alert". The same timeline gives the same bytes.
func WriteTimelineSVG(out io.Writer, t *Timeline) error {
	L, err := t.layout()
	if err != nil {
		return err
	}
	// Every name is escaped once more on the way out, as the other
	// writers do, in case text built in code carries what shows badly.
	tw := textsafe.NewWriter(out)
	w := bufio.NewWriter(tw)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="Helvetica, Arial, sans-serif" role="img">`+"\n",
		num(L.w), num(L.h), num(L.w), num(L.h))
	// The title and description name the picture for a screen reader;
	// no ids, so that a page may hold several timelines.
	fmt.Fprintf(w, "<title>%s</title>\n<desc>%s</desc>\n", xmlText(L.title), xmlText(L.desc))
	fmt.Fprintf(w, `<rect class="background" x="0" y="0" width="%s" height="%s" fill="#ffffff"/>`+"\n", num(L.w), num(L.h))
	for _, k := range L.marks {
		switch k.kind {
		case openMark:
			fmt.Fprintf(w, `<g class="%s"`, k.class)
			if k.id != "" {
				fmt.Fprintf(w, ` data-id="%s"`, xmlText(k.id))
			}
			if strings.HasPrefix(k.class, "row") {
				w.WriteString(` shape-rendering="crispEdges"`)
			}
			fmt.Fprintf(w, "><title>%s</title>\n", xmlText(k.text))
		case cellsMark:
			// A row's days, scaled so that day d is the rect at x=d.
			fmt.Fprintf(w, `<g class="cells" transform="translate(%s %s) scale(%s 1)">`, num(k.x), num(k.y), num(k.w))
			for d, c := range k.cells {
				fmt.Fprintf(w, `<rect x="%d" width="1" height="%s" fill="%s"/>`, d, num(k.h), CapacityColour(c))
			}
			w.WriteString("</g>\n")
		case spanMark:
			// Runs of days, scaled as the cells are.
			fmt.Fprintf(w, `<g class="%s" transform="translate(%s %s) scale(%s 1)">`, k.class, num(k.x), num(k.y), num(k.w))
			for _, sp := range k.spans {
				fmt.Fprintf(w, `<rect x="%d" width="%d" height="%s" fill="%s"/>`, sp[0], sp[1]-sp[0], num(k.h), k.colour)
			}
			w.WriteString("</g>\n")
		case levelMark:
			fmt.Fprintf(w, `<g class="%s" transform="translate(%s %s) scale(%s 1)" shape-rendering="crispEdges">`, k.class, num(k.x), num(k.y), num(k.w))
			for d, f := range k.cells {
				if h := k.h * f; h > 0 {
					fmt.Fprintf(w, `<rect x="%d" y="%s" width="1" height="%s" fill="%s"/>`, d, num(k.h-h), num(h), k.fills[d])
				}
			}
			w.WriteString("</g>\n")
		case dashMark:
			fmt.Fprintf(w, `<line class="%s" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1" stroke-dasharray="5 3"/>`+"\n",
				k.class, num(k.x), num(k.y+0.5), num(k.x+k.w), num(k.y+0.5), k.colour)
		case closeMark:
			w.WriteString("</g>\n")
		case rectMark:
			fmt.Fprintf(w, `<rect class="%s" x="%s" y="%s" width="%s" height="%s" fill="%s"/>`+"\n",
				k.class, num(k.x), num(k.y), num(k.w), num(k.h), k.colour)
		case textMark:
			anchor := ""
			switch k.anchor {
			case 0:
				anchor = ` text-anchor="middle"`
			case 1:
				anchor = ` text-anchor="end"`
			}
			weight := ""
			if k.bold {
				weight = ` font-weight="bold"`
			}
			fmt.Fprintf(w, `<text class="%s" x="%s" y="%s" font-size="%s"%s%s fill="%s">%s</text>`+"\n",
				k.class, num(k.x), num(k.y), num(k.size), weight, anchor, k.colour, xmlText(k.text))
		}
	}
	w.WriteString("</svg>\n")
	if err := w.Flush(); err != nil {
		return err
	}
	return tw.Flush()
}

// num writes a coordinate to a hundredth of a pixel.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

// xmlText escapes text for XML, in an element or an attribute.
func xmlText(s string) string { return xmlEscaper.Replace(s) }
