package main

import (
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// box is a bounding box in the SVG's own units.
type box struct{ x0, y0, x1, y1 float64 }

func (b box) overlaps(c box) bool {
	return b.x0 < c.x1 && c.x0 < b.x1 && b.y0 < c.y1 && c.y0 < b.y1
}

func (b *box) add(x, y float64) {
	b.x0, b.y0 = min(b.x0, x), min(b.y0, y)
	b.x1, b.y1 = max(b.x1, x), max(b.y1, y)
}

func emptyBox() box { return box{1e18, 1e18, -1e18, -1e18} }

// svgShape is one drawn element with the group it is in.
type svgItem struct {
	groupID, groupClass string // "" for the graph's own elements (title, legend)
	tag, stroke, text   string
	box                 box
}

// svgItems reads every polygon, path, ellipse, polyline and text of a
// Graphviz SVG with its bounding box and the group (node, edge, cluster)
// it belongs to. The first item is the page's background.
func svgItems(t *testing.T, data []byte) []svgItem {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(string(data)))
	dec.Strict = false
	type grp struct{ id, class string }
	var stack []grp
	var items []svgItem
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG does not parse: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range el.Attr {
				attr[a.Name.Local] = a.Value
			}
			if el.Name.Local == "g" {
				stack = append(stack, grp{attr["id"], attr["class"]})
				continue
			}
			it := svgItem{tag: el.Name.Local, stroke: attr["stroke"], box: emptyBox()}
			if len(stack) > 1 { // inside graph0 and a node, edge or cluster
				it.groupID, it.groupClass = stack[len(stack)-1].id, stack[len(stack)-1].class
			}
			num := func(k string) float64 { v, _ := strconv.ParseFloat(attr[k], 64); return v }
			switch el.Name.Local {
			case "polygon", "polyline":
				pointsBox(&it.box, attr["points"])
			case "path":
				pointsBox(&it.box, strings.NewReplacer("M", " ", "C", " ", "L", " ", "Z", " ").Replace(attr["d"]))
			case "ellipse":
				cx, cy, rx, ry := num("cx"), num("cy"), num("rx"), num("ry")
				it.box = box{cx - rx, cy - ry, cx + rx, cy + ry}
			case "text":
				var s string
				dec.DecodeElement(&s, &el)
				it.text = s
				size, x, y := num("font-size"), num("x"), num("y")
				w := 0.55 * size * float64(len([]rune(s)))
				switch attr["text-anchor"] {
				case "middle":
					x -= w / 2
				case "end":
					x -= w
				}
				it.box = box{x, y - size, x + w, y}
			default:
				continue
			}
			items = append(items, it)
		case xml.EndElement:
			if el.Name.Local == "g" && len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	return items
}

func pointsBox(b *box, s string) {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
	for i := 0; i+1 < len(f); i += 2 {
		x, err1 := strconv.ParseFloat(f[i], 64)
		y, err2 := strconv.ParseFloat(f[i+1], 64)
		if err1 == nil && err2 == nil {
			b.add(x, y)
		}
	}
}

// TestDrawingsTellTheTruth draws every scenario of the examples and reads
// the SVG back: the title names the scenario and its what-if, every node's
// class holds its kind and every effect, arrows run from provider to
// consumer, and the legend sits in the top-left corner, clear of every node.
func TestDrawingsTellTheTruth(t *testing.T) {
	chdirRoot(t)
	files, _ := filepath.Glob("examples/*.yaml")
	if len(files) < 3 {
		t.Fatalf("examples: %v", files)
	}
	drawn := 0
	for _, file := range files {
		m, err := model.Load(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range m.Scenarios {
			for _, how := range []string{"all", "focus", "sfdp"} {
				args := []string{file, "--scenario", s.Name}
				switch {
				case how == "focus":
					args = append(args, "--focus")
				case how == "sfdp" && i == 0: // a force-directed layout places the label too
					args = append(args, "--layout", "sfdp")
				case how == "sfdp":
					continue
				}
				out := filepath.Join(t.TempDir(), "d.svg")
				renderTo(t, out, args...)
				data, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				g, _ := graph.Build(m.Apply(s.Assume.Changes()))
				im, err := g.Reach(s.Seeds(), s.Mode)
				if err != nil {
					t.Fatal(err)
				}
				checkDrawing(t, file+": "+s.Name, data, m.Apply(s.Assume.Changes()), im, s)
				drawn++
			}
		}
	}
	if drawn < 12 {
		t.Errorf("only %d drawings checked", drawn)
	}
}

func checkDrawing(t *testing.T, name string, data []byte, m *model.Model, im *graph.Impact, s *model.Scenario) {
	t.Helper()
	items := svgItems(t, data)
	if len(items) < 2 {
		t.Fatalf("%s: %d items in the SVG", name, len(items))
	}
	page := items[0].box
	// The graph's own elements, bar the page, are the title and the legend.
	var header []svgItem
	var texts []string
	legend := emptyBox()
	nodes := map[string]svgItem{}
	nodeBox := map[string]box{}
	edges := map[string]string{} // title → class
	for _, it := range items[1:] {
		switch {
		case it.groupID == "":
			header = append(header, it)
			texts = append(texts, it.text)
			if it.stroke == "#737373" {
				legend = it.box // the legend's frame
			}
		case strings.HasPrefix(it.groupClass, "node"):
			nodes[it.groupID] = it
			b, ok := nodeBox[it.groupID]
			if !ok {
				b = emptyBox()
			}
			if it.tag != "text" {
				b.add(it.box.x0, it.box.y0)
				b.add(it.box.x1, it.box.y1)
			}
			nodeBox[it.groupID] = b
		}
	}
	for _, e := range edgeTitles(t, data) {
		edges[e[0]] = e[1]
	}
	title := strings.Join(texts, "\n")
	if !strings.Contains(title, s.Name) {
		t.Errorf("%s: the title does not name the scenario:\n%s", name, title)
	}
	if !s.Assume.Empty() && !strings.Contains(title, "assuming: ") {
		t.Errorf("%s: the what-if is not said:\n%s", name, title)
	}
	if !strings.Contains(title, "arrows: the way an effect spreads,") {
		t.Errorf("%s: the legend does not state the arrow convention:\n%s", name, title)
	}
	// The legend is in the top-left corner: within 20 points of the left
	// edge, below only the title's lines, and clear of every node.
	if legend.x1 < legend.x0 {
		t.Fatalf("%s: no legend frame", name)
	}
	if legend.x0-page.x0 > 20 || legend.y0-page.y0 > 120 || legend.x1-legend.x0 > (page.x1-page.x0) {
		t.Errorf("%s: the legend %v is not in the top-left corner of the page %v", name, legend, page)
	}
	for id, b := range nodeBox {
		for _, h := range header {
			if h.box.overlaps(b) {
				t.Errorf("%s: %s %q of the title or legend overlaps node %s", name, h.tag, h.text, id)
			}
		}
	}
	// Every node's class holds its class, kind and effects.
	effects := map[string][]graph.Effect{}
	for _, a := range im.Affected {
		effects[a.ID] = a.Effects
	}
	classes := map[string][]string{}
	for _, n := range append(slices.Clone(m.Organisations), m.Services...) {
		it, ok := nodes[n.ID]
		if !ok {
			continue // left out as context, or folded
		}
		cl := strings.Fields(it.groupClass)
		classes[n.ID] = cl
		want := []string{"node", string(n.Class), n.Kind}
		for _, e := range effects[n.ID] {
			want = append(want, e.String())
		}
		if len(effects[n.ID]) == 0 {
			want = append(want, "unaffected")
		}
		for _, w := range want {
			if !slices.Contains(cl, w) {
				t.Errorf("%s: node %s has class %q, without %q", name, n.ID, it.groupClass, w)
			}
		}
		for _, c := range n.Controls {
			if slices.Contains(model.Stopping(), c) && !slices.Contains(cl, c) {
				t.Errorf("%s: node %s has %s, not marked in class %q", name, n.ID, c, it.groupClass)
			}
		}
	}
	for _, c := range s.Assume.Controls {
		if cl, ok := classes[c.ID.Value]; ok && !slices.Contains(cl, "assumed") {
			t.Errorf("%s: node %s, changed by the what-if, is not marked: %v", name, c.ID.Value, cl)
		}
	}
	// Arrows run from provider to consumer.
	for _, d := range m.Dependencies {
		if _, ok := nodes[d.From]; !ok {
			continue
		}
		if _, ok := nodes[d.To]; !ok {
			continue
		}
		if cl, ok := edges[d.From+"->"+d.To]; ok && !d.Type.BothWays() && strings.Contains(cl, string(d.Type)) {
			t.Errorf("%s: %s -> %s (%s) is drawn from consumer to provider", name, d.From, d.To, d.Type)
		}
	}
}

// edgeTitles lists each edge's title ("a->b") and class.
func edgeTitles(t *testing.T, data []byte) [][2]string {
	var doc struct {
		Groups []struct {
			Class string `xml:"class,attr"`
			Title string `xml:"title"`
		} `xml:"g>g"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var out [][2]string
	for _, g := range doc.Groups {
		if strings.HasPrefix(g.Class, "edge") {
			out = append(out, [2]string{g.Title, g.Class})
		}
	}
	return out
}

// TestRenderSaysWhatContextItLeftOut: with --focus, standard error says how
// many unaffected neighbours were drawn and how to draw them all.
func TestRenderSaysWhatContextItLeftOut(t *testing.T) {
	chdirRoot(t)
	dir := t.TempDir()
	stderr := renderTo(t, filepath.Join(dir, "a.dot"), "examples/synnovis-2024.yaml", "--compromise", "synnovis-access", "--focus", "--context", "0")
	if !strings.Contains(stderr, "drew 0 of the 4 unaffected") || !strings.Contains(stderr, "--context all") {
		t.Errorf("stderr: %q", stderr)
	}
	stderr = renderTo(t, filepath.Join(dir, "b.dot"), "examples/synnovis-2024.yaml", "--compromise", "synnovis-access", "--focus", "--context", "all")
	if strings.Contains(stderr, "unaffected neighbours") {
		t.Errorf("--context all still leaves some out: %q", stderr)
	}
}
