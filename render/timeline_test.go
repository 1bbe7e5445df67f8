package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/blastradius/blastradius/internal/textsafe"
)

// restoreCurve is a pathology service's capacity on day d: a tenth in week
// one, then back by steps to full on day full.
func restoreCurve(d, full int) float64 {
	pts := [][2]float64{{0, 0.1}, {10, 0.3}, {30, 0.54}, {float64(full), 1}}
	x := float64(d)
	for i := 1; i < len(pts); i++ {
		if x <= pts[i][0] {
			a, b := pts[i-1], pts[i]
			return a[1] + (b[1]-a[1])*(x-a[0])/(b[0]-a[0])
		}
	}
	return 1
}

// exampleTimeline is twelve organisations of three ICBs, 84 days from a
// pathology outage on 3 June 2024, with activity lost in three units.
func exampleTimeline() *Timeline {
	type org struct {
		id, name, icb string
		onset, full   int
		share         float64
	}
	orgs := []org{
		{"gstt", "Guy's and St Thomas' NHS Foundation Trust", "South East London ICB", 0, 55, 0.35},
		{"kch", "King's College Hospital NHS Foundation Trust", "South East London ICB", 0, 55, 0.4},
		{"lgt", "Lewisham and Greenwich NHS Trust", "South East London ICB", 1, 40, 0.15},
		{"oxleas", "Oxleas NHS Foundation Trust", "South East London ICB", 2, 30, 0.05},
		{"slam", "South London and Maudsley NHS Foundation Trust", "South East London ICB", 2, 28, 0.04},
		{"gp-bexley", "Bexley GP practices", "South East London ICB", 0, 73, 0.9},
		{"gp-bromley", "Bromley GP practices", "South East London ICB", 0, 73, 0.9},
		{"gp-greenwich", "Greenwich GP practices", "South East London ICB", 0, 80, 0.9},
		{"gp-lambeth", "Lambeth GP practices", "South East London ICB", 0, 81, 0.9},
		{"bhft", "Barts Health NHS Trust", "North East London ICB", 3, 20, 0.05},
		{"esth", "Epsom and St Helier University Hospitals NHS Trust", "South West London ICB", 4, 21, 0.03},
		{"nhs111", "London NHS 111", "", 1, 14, 0.02},
	}
	t := &Timeline{
		Title:    "Qilin ransomware, June 2024",
		Subtitle: "synnovis-access compromised · ransomware · modelled capacity, not a clinical measure",
		Start:    time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC),
		Days:     84,
		Units:    []string{"outpatient-appointments", "elective-procedures", "blood-tests", "referrals"},
	}
	for _, o := range orgs {
		c := make([]float64, t.Days)
		for d := range c {
			c[d] = 1
			if d >= o.onset {
				c[d] = 1 - o.share*(1-restoreCurve(d-o.onset, o.full))
			}
			c[d] = math.Round(c[d]*1000) / 1000
		}
		t.Rows = append(t.Rows, TimelineRow{ID: o.id, Name: o.name, Group: o.icb, Capacity: c})
	}
	plateau := []float64{860, 1100, 1400, 1500, 1300, 1250, 1150, 900, 400, 53, 20, 0}
	for w, v := range plateau {
		t.Weekly = append(t.Weekly, TimelineWeek{Week: w + 1, Lost: map[string]float64{
			"outpatient-appointments": v,
			"elective-procedures":     math.Round(v * 0.9 / (1 + float64(w))),
			"blood-tests":             math.Round(9000 / (1 + float64(w*w))),
			"referrals":               float64(12 - w),
		}})
	}
	return t
}

// largeTimeline is n organisations in ten ICBs over days days, each
// falling on its own day and back on its own.
func largeTimeline(n, days int) *Timeline {
	t := &Timeline{Title: "National supplier outage", Subtitle: "a generated model", Days: days}
	for i := range n {
		onset := (i * 7) % 40
		full := 10 + (i*37)%300
		share := 0.05 + float64((i*13)%90)/100
		c := make([]float64, days)
		for d := range c {
			c[d] = 1
			if d >= onset {
				c[d] = math.Round((1-share*(1-restoreCurve(d-onset, full)))*1000) / 1000
			}
		}
		t.Rows = append(t.Rows, TimelineRow{ID: fmt.Sprintf("org-%03d", i), Name: fmt.Sprintf("Organisation %d NHS Trust", i),
			Group: fmt.Sprintf("ICB %d", i%10), Capacity: c})
	}
	return t
}

// parsedTimeline is a timeline SVG as a reader sees it.
type parsedTimeline struct {
	title  string              // the document's title
	texts  map[string][]string // text by class
	rows   []parsedRow
	groups []string // group titles, in order
	// swatches is the fill of each legend swatch.
	swatches []string
	w, h     string
}

type parsedRow struct {
	id, title, class string
	cells            []string // fills, in order
	// strain is the strained runs of days, "from-until" (until not
	// included), as the rects of its strain group say.
	strain []string
}

// parseTimeline reads an SVG with encoding/xml, which refuses what is not
// well-formed XML (an unescaped <, &, or a control character among them).
func parseTimeline(t *testing.T, svg []byte) *parsedTimeline {
	t.Helper()
	p := &parsedTimeline{texts: map[string][]string{}}
	d := xml.NewDecoder(bytes.NewReader(svg))
	var stack []xml.StartElement
	var row *parsedRow
	attr := func(e xml.StartElement, name string) string {
		for _, a := range e.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			stack = append(stack, e)
			switch {
			case e.Name.Local == "svg":
				p.w, p.h = attr(e, "width"), attr(e, "height")
			case e.Name.Local == "g" && strings.HasPrefix(attr(e, "class"), "row"):
				p.rows = append(p.rows, parsedRow{id: attr(e, "data-id"), class: attr(e, "class")})
				row = &p.rows[len(p.rows)-1]
			case e.Name.Local == "rect" && len(stack) >= 2 && attr(stack[len(stack)-2], "class") == "cells":
				if row == nil {
					t.Fatal("a cell outside any row")
				}
				row.cells = append(row.cells, attr(e, "fill"))
			case e.Name.Local == "rect" && len(stack) >= 2 && attr(stack[len(stack)-2], "class") == "strain":
				if row == nil {
					t.Fatal("a strained day outside any row")
				}
				x, _ := strconv.Atoi(attr(e, "x"))
				w, _ := strconv.Atoi(attr(e, "width"))
				if attr(e, "fill") != strainColour {
					t.Errorf("row %q: strained days in %s, want %s", row.id, attr(e, "fill"), strainColour)
				}
				row.strain = append(row.strain, fmt.Sprintf("%d-%d", x, x+w))
			case e.Name.Local == "rect" && attr(e, "class") == "legend-swatch":
				p.swatches = append(p.swatches, attr(e, "fill"))
			}
		case xml.EndElement:
			if e.Name.Local == "g" && strings.HasPrefix(attr(stack[len(stack)-1], "class"), "row") {
				row = nil
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) < 2 {
				continue
			}
			top, parent := stack[len(stack)-1], stack[len(stack)-2]
			switch {
			case top.Name.Local == "title" && parent.Name.Local == "svg":
				p.title = string(e)
			case top.Name.Local == "title" && attr(parent, "class") == "group":
				p.groups = append(p.groups, string(e))
			case top.Name.Local == "title" && row != nil && strings.HasPrefix(attr(parent, "class"), "row"):
				row.title = string(e)
			case top.Name.Local == "text":
				c := attr(top, "class")
				p.texts[c] = append(p.texts[c], string(e))
			}
		}
	}
	return p
}

func svgOf(t testing.TB, tl *Timeline) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteTimelineSVG(&b, tl); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestTimelineGolden: the twelve organisations of the example, with dates,
// give the SVG in testdata; -update rewrites it, and the PNG beside it
// that shows what it looks like.
func TestTimelineGolden(t *testing.T) {
	got := svgOf(t, exampleTimeline())
	golden := filepath.Join("testdata", "timeline-synnovis.svg")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		pic, err := TimelinePNG(exampleTimeline(), PNGOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "timeline-synnovis.png"), pic, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./render -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the timeline SVG differs from %s (run go test ./render -update to accept)", golden)
	}
	if again := svgOf(t, exampleTimeline()); !bytes.Equal(got, again) {
		t.Error("the same timeline gave different bytes")
	}
}

// TestTimelineSVGHolds: the SVG parses and holds the title, every row's
// name in order of group and onset, a cell for every day of every row in
// the colour of its capacity, the legend of the ramp and dates on the
// axis.
func TestTimelineSVGHolds(t *testing.T) {
	tl := exampleTimeline()
	p := parseTimeline(t, svgOf(t, tl))
	if p.title != tl.Title || !slices.Equal(p.texts["title"], []string{tl.Title}) {
		t.Errorf("title %q, drawn %q, want %q", p.title, p.texts["title"], tl.Title)
	}
	if !slices.Equal(p.texts["subtitle"], []string{tl.Subtitle}) {
		t.Errorf("subtitle %q", p.texts["subtitle"])
	}
	byID := map[string]TimelineRow{}
	for _, r := range tl.Rows {
		byID[r.ID] = r
	}
	if len(p.rows) != len(tl.Rows) {
		t.Fatalf("%d rows drawn, want %d", len(p.rows), len(tl.Rows))
	}
	cells := 0
	var order []string
	for _, r := range p.rows {
		src, ok := byID[r.id]
		if !ok {
			t.Fatalf("row %q is not in the timeline", r.id)
		}
		order = append(order, r.id)
		if !strings.HasPrefix(r.title, src.Name+": ") {
			t.Errorf("row %q: title %q does not start with its name", r.id, r.title)
		}
		if !slices.Contains(p.texts["name"], src.Name) {
			t.Errorf("row %q: name %q not drawn", r.id, src.Name)
		}
		cells += len(r.cells)
		if len(r.cells) != tl.Days {
			t.Errorf("row %q: %d cells, want %d", r.id, len(r.cells), tl.Days)
			continue
		}
		for d, c := range src.Capacity {
			if r.cells[d] != CapacityColour(c) {
				t.Errorf("row %q, day %d: fill %s, want %s for capacity %v", r.id, d, r.cells[d], CapacityColour(c), c)
				break
			}
		}
	}
	if cells != len(tl.Rows)*tl.Days {
		t.Errorf("%d cells, want %d rows × %d days", cells, len(tl.Rows), tl.Days)
	}
	// South East London first (its rows fall on day 0), then by onset;
	// no ICB last; within a group by onset, then id.
	want := []string{"gp-bexley", "gp-bromley", "gp-greenwich", "gp-lambeth", "gstt", "kch", "lgt", "oxleas", "slam", "bhft", "esth", "nhs111"}
	if !slices.Equal(order, want) {
		t.Errorf("rows in order %v, want %v", order, want)
	}
	wantGroups := []string{"South East London ICB (9)", "North East London ICB (1)", "South West London ICB (1)", "No ICB (1)"}
	if !slices.Equal(p.groups, wantGroups) {
		t.Errorf("groups %q, want %q", p.groups, wantGroups)
	}
	var ramp []string
	for _, c := range []float64{0, 0.25, 0.5, 0.75, 1} {
		ramp = append(ramp, CapacityColour(c))
	}
	if !slices.Equal(p.swatches, ramp) {
		t.Errorf("legend swatches %v, want %v", p.swatches, ramp)
	}
	for _, l := range []string{"0%", "25%", "50%", "75%", "100%"} {
		if !slices.Contains(p.texts["legend"], l) {
			t.Errorf("legend lacks %q: %q", l, p.texts["legend"])
		}
	}
	for _, l := range []string{"3 Jun 2024", "10 Jun", "1 Jul", "19 Aug"} {
		if !slices.Contains(p.texts["axis"], l) {
			t.Errorf("axis lacks %q: %q", l, p.texts["axis"])
		}
	}
	// Charts for the first three units, the fourth listed.
	if got := p.texts["chart-title"]; len(got) != 3 || got[0] != "outpatient appointments lost each week (9,933 in all)" {
		t.Errorf("chart titles %q", got)
	}
	if got := p.texts["others"]; len(got) != 1 || got[0] != "Also lost, in all: referrals 78" {
		t.Errorf("others %q", got)
	}
	if got := p.texts["back"]; got[0] != "15 Aug" || got[len(got)-1] != "5 Jul" {
		t.Errorf("back to full %q", got)
	}
	if p.texts["folded"] != nil {
		t.Errorf("twelve rows folded: %q", p.texts["folded"])
	}
}

// TestTimelineDayNumbers: without a start date the axis and the last
// column count days.
func TestTimelineDayNumbers(t *testing.T) {
	tl := exampleTimeline()
	tl.Start = time.Time{}
	p := parseTimeline(t, svgOf(t, tl))
	for _, l := range []string{"day 0", "day 7", "day 77"} {
		if !slices.Contains(p.texts["axis"], l) {
			t.Errorf("axis lacks %q: %q", l, p.texts["axis"])
		}
	}
	for _, l := range p.texts["axis"] {
		if strings.Contains(l, "Jun") {
			t.Errorf("a date %q on an axis without a start", l)
		}
	}
	if got := p.texts["back"][0]; got != "day 73" {
		t.Errorf("first back to full %q, want day 73", got)
	}
}

// lost is a row's service-days lost over days.
func lost(r TimelineRow, days int) float64 {
	s := 0.0
	for d := range min(days, len(r.Capacity)) {
		s += 1 - r.Capacity[d]
	}
	return s
}

// TestTimelineFolds: at 200 organisations the rows that lose least are
// folded, one row for each ICB, at their mean capacity; the drawing says
// how many; every organisation is in a row or a fold; no drawn row loses
// less than a folded one.
func TestTimelineFolds(t *testing.T) {
	tl := largeTimeline(200, 365)
	p := parseTimeline(t, svgOf(t, tl))
	if len(p.rows) > DefaultTimelineRows {
		t.Errorf("%d rows drawn, more than %d", len(p.rows), DefaultTimelineRows)
	}
	byID := map[string]TimelineRow{}
	for _, r := range tl.Rows {
		byID[r.ID] = r
	}
	drawn, folds, foldedOrgs, cells := 0, 0, 0, 0
	minDrawn := math.Inf(1)
	for _, r := range p.rows {
		cells += len(r.cells)
		if r.class == "row folded" {
			folds++
			n, err := strconv.Atoi(strings.Fields(r.title)[0])
			if err != nil || !strings.Contains(r.title, "more organisations of ICB ") {
				t.Fatalf("fold title %q", r.title)
			}
			foldedOrgs += n
			continue
		}
		drawn++
		minDrawn = math.Min(minDrawn, lost(byID[r.id], 365))
	}
	if drawn+foldedOrgs != 200 {
		t.Errorf("%d rows drawn and %d folded, want 200 in all", drawn, foldedOrgs)
	}
	if folds == 0 || folds > 10 {
		t.Errorf("%d folds, want one for each of some of the 10 ICBs", folds)
	}
	if cells != len(p.rows)*365 {
		t.Errorf("%d cells, want %d rows × 365", cells, len(p.rows))
	}
	shown := map[string]bool{}
	for _, r := range p.rows {
		shown[r.id] = true
	}
	for _, r := range tl.Rows {
		if !shown[r.ID] && lost(r, 365) > minDrawn+1e-9 {
			t.Errorf("%s folded with %.1f service-days lost, more than a row drawn (%.1f)", r.ID, lost(r, 365), minDrawn)
		}
	}
	note := fmt.Sprintf("%d organisations that lose the fewest service-days are folded into %d rows, one for each ICB, drawn at their mean capacity.", foldedOrgs, folds)
	if !slices.Equal(p.texts["folded"], []string{note}) {
		t.Errorf("folded note %q, want %q", p.texts["folded"], note)
	}
	// A fold's cells are its members' mean capacity.
	members := map[string][]TimelineRow{}
	for _, r := range tl.Rows {
		if !shown[r.ID] {
			members[r.Group] = append(members[r.Group], r)
		}
	}
	for _, r := range p.rows {
		if r.class != "row folded" {
			continue
		}
		g := strings.TrimPrefix(r.id, "folded:")
		for _, d := range []int{0, 30, 200} {
			sum := 0.0
			for _, m := range members[g] {
				sum += m.Capacity[d]
			}
			if want := CapacityColour(sum / float64(len(members[g]))); r.cells[d] != want {
				t.Errorf("fold %s, day %d: %s, want %s", g, d, r.cells[d], want)
			}
		}
	}
	// Twelve rows never fold, whatever the limit says below them.
	small := exampleTimeline()
	small.MaxRows = 12
	if p := parseTimeline(t, svgOf(t, small)); len(p.rows) != 12 || p.texts["folded"] != nil {
		t.Errorf("12 rows with MaxRows 12: %d drawn, folded note %q", len(p.rows), p.texts["folded"])
	}
	small.MaxRows = 5
	if p := parseTimeline(t, svgOf(t, small)); len(p.rows) > 5 {
		t.Errorf("MaxRows 5: %d rows drawn", len(p.rows))
	}
}

// hostileNames hold what a terminal or a page would obey rather than
// show, and what would break XML.
var hostileNames = []string{
	"Trust \x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\ \x1b[2J",
	"ansi \x1b[31mred\x1b[0m",
	"Tr\u202eust\u2066 \u2069", "zero\u200bwidth\ufeff", "c1 \u009b2J \u0085", "bell\a del\x7f cr\rlf\n",
	`<script>alert(1)</script> "><img onerror=x> & done`, "]]><!-- ' \"",
}

// TestTimelineHostileNames: names, ICBs, ids, units, the title and the
// subtitle that hold such text come out escaped, in well-formed XML, and
// the PNG is still painted.
func TestTimelineHostileNames(t *testing.T) {
	for _, name := range hostileNames {
		tl := exampleTimeline()
		tl.Title, tl.Subtitle = name, name
		for i := range tl.Rows {
			tl.Rows[i].Name = name + " " + tl.Rows[i].ID
			tl.Rows[i].ID = name + tl.Rows[i].ID
			tl.Rows[i].Group = name
		}
		tl.Units[0] = name
		for _, w := range tl.Weekly {
			w.Lost[name] = w.Lost["outpatient-appointments"]
		}
		out := svgOf(t, tl)
		p := parseTimeline(t, out)
		if i, r := textsafe.Find(string(out), true); i >= 0 {
			t.Errorf("%q: the SVG holds %s raw", name, textsafe.Name(r))
		}
		if bytes.Contains(out, []byte("<script")) || bytes.Contains(out, []byte("<img")) {
			t.Errorf("%q: markup from a name came out as markup", name)
		}
		safe := textsafe.Line(name)
		if p.title != safe {
			t.Errorf("%q: title %q, want %q", name, p.title, safe)
		}
		if len(p.rows) != len(tl.Rows) || !strings.HasPrefix(p.rows[0].title, safe+" ") || !strings.HasPrefix(p.rows[0].id, safe) {
			t.Errorf("%q: first row %+v", name, p.rows[0])
		}
		if len(p.groups) != 1 || !strings.HasPrefix(p.groups[0], safe+" (") {
			t.Errorf("%q: groups %q", name, p.groups)
		}
		if _, err := TimelinePNG(tl, PNGOptions{}); err != nil {
			t.Errorf("%q: %v", name, err)
		}
	}
}

// TestTimelinePNG: the PNG decodes at the size of the drawing, is not
// blank, and paints each day in the colour of its capacity.
func TestTimelinePNG(t *testing.T) {
	tl := exampleTimeline()
	out, err := TimelinePNG(tl, PNGOptions{})
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	L, err := tl.layout()
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() != int(math.Ceil(L.w)) || b.Dy() != int(math.Ceil(L.h)) {
		t.Errorf("%v, want %.0f×%.0f", b, L.w, L.h)
	}
	dark := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r+g+bl < 3*0x8000 {
				dark++
			}
		}
	}
	if dark < b.Dx()*b.Dy()/100 {
		t.Errorf("only %d dark pixels of %d: blank?", dark, b.Dx()*b.Dy())
	}
	// The middle of each row's cell on day 0 and day 40.
	var cells []mark
	for _, k := range L.marks {
		if k.kind == cellsMark {
			cells = append(cells, k)
		}
	}
	if len(cells) != len(tl.Rows) {
		t.Fatalf("%d rows of cells, want %d", len(cells), len(tl.Rows))
	}
	for _, k := range cells {
		for _, d := range []int{0, 40} {
			x, y := int(k.x+(float64(d)+0.5)*k.w), int(k.y+k.h/2)
			r, g, bl, _ := img.At(x, y).RGBA()
			if got, want := fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, bl>>8), CapacityColour(k.cells[d]); got != want {
				t.Errorf("pixel (%d, %d), day %d: %s, want %s", x, y, d, got, want)
			}
		}
	}
	again, _ := TimelinePNG(tl, PNGOptions{})
	if !bytes.Equal(out, again) {
		t.Error("the same timeline gave different bytes")
	}
	// Twice the scale, twice the size; MaxSide shrinks it.
	big, _ := TimelinePNG(tl, PNGOptions{Scale: 2})
	if cfg, err := png.DecodeConfig(bytes.NewReader(big)); err != nil || cfg.Width != int(math.Ceil(L.w*2)) {
		t.Errorf("scale 2: %+v, %v", cfg, err)
	}
	small, _ := TimelinePNG(tl, PNGOptions{MaxSide: 500})
	if cfg, err := png.DecodeConfig(bytes.NewReader(small)); err != nil || max(cfg.Width, cfg.Height) > 500 {
		t.Errorf("MaxSide 500: %+v, %v", cfg, err)
	}
}

// TestCapacityColour: the ramp is white at full, never white below it,
// and darker in greyscale the lower the capacity.
func TestCapacityColour(t *testing.T) {
	if CapacityColour(1) != "#ffffff" {
		t.Errorf("full is %s", CapacityColour(1))
	}
	luma := func(hex string) float64 {
		v, _ := strconv.ParseUint(hex[1:], 16, 32)
		return 0.299*float64(v>>16) + 0.587*float64(v>>8&0xff) + 0.114*float64(v&0xff)
	}
	prev := luma(CapacityColour(1))
	for c := 0.999; c >= 0; c -= 0.05 {
		l := luma(CapacityColour(c))
		if l >= prev {
			t.Errorf("capacity %.3f: lightness %.1f, not below %.1f", c, l, prev)
		}
		prev = l
	}
	if luma(CapacityColour(0.999)) > 240 {
		t.Errorf("a shortfall of a thousandth is %s, too close to white", CapacityColour(0.999))
	}
}

// TestTimelineRefuses: what cannot be drawn is an error, not a picture.
func TestTimelineRefuses(t *testing.T) {
	cases := map[string]func(*Timeline){
		"capacity above 1":   func(tl *Timeline) { tl.Rows[0].Capacity[3] = 1.5 },
		"capacity NaN":       func(tl *Timeline) { tl.Rows[2].Capacity[0] = math.NaN() },
		"negative capacity":  func(tl *Timeline) { tl.Rows[2].Capacity[0] = -0.1 },
		"a row twice":        func(tl *Timeline) { tl.Rows[1].ID = tl.Rows[0].ID },
		"negative days":      func(tl *Timeline) { tl.Days = -1 },
		"too many days":      func(tl *Timeline) { tl.Days = MaxTimelineDays + 1 },
		"week past the days": func(tl *Timeline) { tl.Weekly = append(tl.Weekly, TimelineWeek{Week: 13}) },
		"week 0":             func(tl *Timeline) { tl.Weekly[0].Week = 0 },
		"a week twice":       func(tl *Timeline) { tl.Weekly[1].Week = 1 },
		"negative activity":  func(tl *Timeline) { tl.Weekly[1].Lost["blood-tests"] = -3 },
	}
	for name, spoil := range cases {
		tl := exampleTimeline()
		spoil(tl)
		if err := WriteTimelineSVG(io.Discard, tl); err == nil || !strings.HasPrefix(err.Error(), "timeline: ") {
			t.Errorf("%s: SVG error %v", name, err)
		}
		if _, err := TimelinePNG(tl, PNGOptions{}); err == nil {
			t.Errorf("%s: PNG without an error", name)
		}
	}
}

// TestTimelineEmpty: no rows draws the title and says so; Days 0 takes the
// longest series, and a shorter one is back to full after its end.
func TestTimelineEmpty(t *testing.T) {
	p := parseTimeline(t, svgOf(t, &Timeline{Title: "Nothing", Days: 30}))
	if p.title != "Nothing" || len(p.rows) != 0 || !slices.Equal(p.texts["empty"], []string{"No organisation loses capacity."}) {
		t.Errorf("empty timeline: %+v", p)
	}
	tl := &Timeline{Rows: []TimelineRow{
		{ID: "a", Name: "A", Capacity: []float64{0, 0.5, 1, 1, 1, 1, 1, 1, 1, 1}},
		{ID: "b", Name: "B", Capacity: []float64{0.5}},
	}}
	p = parseTimeline(t, svgOf(t, tl))
	if len(p.rows) != 2 || len(p.rows[0].cells) != 10 || len(p.rows[1].cells) != 10 || p.rows[1].cells[5] != "#ffffff" {
		t.Errorf("Days 0: %+v", p.rows)
	}
	if p.title != "Capacity over time" {
		t.Errorf("untitled: %q", p.title)
	}
	if got := p.texts["chart-title"]; len(got) != 1 || got[0] != "service-days lost each week (2 in all)" {
		t.Errorf("without activity: charts %q", got)
	}
}

func BenchmarkTimelineSVG(b *testing.B) {
	tl := largeTimeline(200, 365)
	for b.Loop() {
		if err := WriteTimelineSVG(io.Discard, tl); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTimelinePNG(b *testing.B) {
	tl := largeTimeline(200, 365)
	for b.Loop() {
		if _, err := TimelinePNG(tl, PNGOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzTimeline: whatever the names and capacities, a timeline is drawn as
// well-formed XML with nothing raw in it and a PNG that decodes, or it is
// refused with an error.
func FuzzTimeline(f *testing.F) {
	for _, n := range hostileNames {
		f.Add(n, n, 0.5, uint16(30), true)
	}
	f.Add("GSTT", "South East London ICB", 0.0, uint16(0), false)
	f.Add("a", "", 1.5, uint16(7), true)
	f.Fuzz(func(t *testing.T, name, group string, c float64, days uint16, dated bool) {
		tl := &Timeline{Title: name, Subtitle: group, Days: int(days % 200), Units: []string{name}}
		if dated {
			tl.Start = time.Date(2024, 12, 20, 0, 0, 0, 0, time.UTC)
		}
		for i := range 3 {
			caps := make([]float64, 20)
			for d := range caps {
				caps[d] = math.Min(1, c+float64(d*i)/40)
			}
			tl.Rows = append(tl.Rows, TimelineRow{ID: name + strconv.Itoa(i), Name: name, Group: group, Capacity: caps})
		}
		tl.Weekly = []TimelineWeek{{Week: 1, Lost: map[string]float64{name: c * 100}}}
		var b bytes.Buffer
		err := WriteTimelineSVG(&b, tl)
		if err != nil {
			if _, perr := TimelinePNG(tl, PNGOptions{MaxSide: 400}); perr == nil {
				t.Fatalf("SVG refused (%v), PNG painted", err)
			}
			return
		}
		parseTimeline(t, b.Bytes())
		if i, r := textsafe.Find(b.String(), true); i >= 0 {
			t.Fatalf("%s raw at %d", textsafe.Name(r), i)
		}
		pic, err := TimelinePNG(tl, PNGOptions{MaxSide: 400})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(bytes.NewReader(pic)); err != nil {
			t.Fatal(err)
		}
	})
}
