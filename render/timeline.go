package render

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/image/font"

	"github.com/blastradius/blastradius/internal/textsafe"
)

// The strip chart of who goes down and for how long: one row for each
// organisation whose capacity falls, grouped by ICB, its capacity each day
// a cell on the capacity ramp; under it, what is lost each week. It is
// drawn from a Timeline, which says nothing of how the capacities were
// found, and laid out once as marks that the SVG writer and the PNG
// painter both follow.

// DefaultTimelineRows is how many rows a timeline holds before the
// organisations that lose least are folded, one row for each ICB.
const DefaultTimelineRows = 60

// A Timeline is what the strip chart shows.
type Timeline struct {
	Title    string // the scenario's name; "" draws "Capacity over time"
	Subtitle string // one line under the title, or ""
	// Start is the date of day 0, the attack; the zero time numbers the
	// days instead.
	Start time.Time
	// Days is how many days are drawn, day 0 to Days-1; 0 means as many as
	// the longest capacity series. A series shorter than Days is back to
	// full capacity after its end.
	Days int
	Rows []TimelineRow
	// Weekly is what is lost each week, in the user's units; none draws
	// the service-days lost each week, from the rows.
	Weekly []TimelineWeek
	// Units are the units charted, in that order; the first
	// MaxTimelineCharts get a chart each, the others a line with their
	// totals. None means every unit in Weekly, by name.
	Units []string
	// MaxRows is how many rows are drawn before folding; 0 means
	// DefaultTimelineRows.
	MaxRows int
}

// A TimelineRow is one organisation's capacity, day by day.
type TimelineRow struct {
	ID, Name string
	Group    string    // the name of its ICB; "" for none
	Capacity []float64 // from day 0, each in 0..1
}

// A TimelineWeek is what is lost in one week: week 1 is days 0 to 6.
type TimelineWeek struct {
	Week int
	Lost map[string]float64 // by unit, each at least 0
}

// MaxTimelineDays is the longest timeline drawn: ten years, when a day is
// already a third of a pixel wide.
const MaxTimelineDays = 3660

// MaxTimelineCharts is how many units get a bar chart of their own.
const MaxTimelineCharts = 3

// capacityRamp is the ramp of capacity, from 0 to full: the effects'
// palette (ColorBrewer OrRd), whose lightness rises with capacity, so
// that it reads in greyscale and for colour-blind readers.
var capacityRamp = [...][3]uint8{
	{0x7f, 0x00, 0x00}, {0xb3, 0x00, 0x00}, {0xd7, 0x30, 0x1f}, {0xef, 0x65, 0x48},
	{0xfc, 0x8d, 0x59}, {0xfd, 0xbb, 0x84}, {0xfd, 0xd4, 0x9e}, {0xfe, 0xe8, 0xc8}, {0xff, 0xf7, 0xec},
}

// frameColour outlines each strip, so that days at full (white) still
// show where the strip is.
const frameColour = "#d9d9d9"

// CapacityColour is the colour of a capacity from 0 (dark) to 1 (white):
// any shortfall is at least the lightest tint of the ramp, so that a day
// below full never looks like a day at full.
func CapacityColour(c float64) string {
	if c >= 1 {
		return "#ffffff"
	}
	c = math.Max(0, c)
	pos := c * float64(len(capacityRamp)-2)
	i := min(int(pos), len(capacityRamp)-3)
	f := pos - float64(i)
	a, b := capacityRamp[i], capacityRamp[i+1]
	var out [3]uint8
	for k := range out {
		out[k] = uint8(math.Round(float64(a[k]) + f*(float64(b[k])-float64(a[k]))))
	}
	return fmt.Sprintf("#%02x%02x%02x", out[0], out[1], out[2])
}

// Colours of what is not capacity.
const (
	inkColour  = "#000000"
	greyText   = "#525252"
	ruleColour = "#bdbdbd"
	barColour  = "#2171b5" // a hue apart from the capacity ramp
)

// Sizes of the layout, in CSS pixels.
const (
	tlPad      = 16.0
	tlRowH     = 15.0
	tlCellH    = 12.0
	tlHeadH    = 20.0
	tlChartW   = 1100.0 // the widest the days are drawn
	tlMaxCell  = 16.0   // the widest a day is drawn
	tlMaxLabel = 320.0
	tlRightW   = 86.0
	tlBarH     = 56.0
)

// A mark is one thing drawn: a rectangle, a line of text, or the start or
// end of a group (a row, with its name as a tooltip).
type mark struct {
	kind       markKind
	x, y, w, h float64 // a rectangle; for text, x and y are the baseline's anchor
	colour     string  // fill, or text colour
	text       string  // text, already made safe to show
	size       float64
	bold       bool
	anchor     int    // text: -1 start, 0 middle, 1 end
	class      string // what it is, for readers of the SVG
	id         string // a group's data-id
	cells      []float64
}

type markKind int

const (
	rectMark markKind = iota
	textMark
	openMark  // text is the group's tooltip
	closeMark // ends the last group opened
	// cellsMark is a row's days: one cell of width w and height h for
	// each capacity in cells, from x, y.
	cellsMark
)

// timelineLayout is a timeline laid out.
type timelineLayout struct {
	w, h  float64
	title string // for the document's own title
	desc  string
	marks []mark
	cells int // day cells drawn
	rows  int // rows drawn, folded ones among them
	// folded is how many organisations are folded, into foldRows rows.
	folded, foldRows int
}

// tlRow is a row as drawn: an organisation or a fold of several.
type tlRow struct {
	id, name, group string
	cap             []float64 // Days values
	onset           int       // the first day below 1, or Days
	lost            float64   // service-days lost
	members         int       // for a fold, how many it stands for; else 0
}

// check reports the first thing in the timeline that cannot be drawn.
func (t *Timeline) check() (days int, err error) {
	days = t.Days
	if days < 0 || days > MaxTimelineDays {
		return 0, fmt.Errorf("timeline: %d days (0 to %d can be drawn)", days, MaxTimelineDays)
	}
	if days == 0 {
		for _, r := range t.Rows {
			days = max(days, len(r.Capacity))
		}
		if days > MaxTimelineDays {
			return 0, fmt.Errorf("timeline: %d days of capacity (at most %d can be drawn)", days, MaxTimelineDays)
		}
	}
	seen := map[string]bool{}
	for _, r := range t.Rows {
		if seen[r.ID] {
			return 0, fmt.Errorf("timeline: row %q twice", textsafe.Line(r.ID))
		}
		seen[r.ID] = true
		for d, c := range r.Capacity {
			if !(c >= 0 && c <= 1) {
				return 0, fmt.Errorf("timeline: row %q, day %d: capacity %v is outside 0..1", textsafe.Line(r.ID), d, c)
			}
		}
	}
	weeks := (days + 6) / 7
	seenWeek := map[int]bool{}
	for _, w := range t.Weekly {
		if w.Week < 1 || w.Week > weeks {
			return 0, fmt.Errorf("timeline: week %d is outside the %d weeks drawn (%d days)", w.Week, weeks, days)
		}
		if seenWeek[w.Week] {
			return 0, fmt.Errorf("timeline: week %d twice", w.Week)
		}
		seenWeek[w.Week] = true
		units := slices.Sorted(maps.Keys(w.Lost))
		for _, u := range units {
			if v := w.Lost[u]; !(v >= 0) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("timeline: week %d: %v %s lost", w.Week, v, textsafe.Line(u))
			}
		}
	}
	return days, nil
}

// rowsToDraw orders the rows by group and onset and folds the ones that
// lose least beyond max, one fold for each group.
func rowsToDraw(t *Timeline, days, maxRows int) (groups []string, byGroup map[string][]*tlRow, folded, foldRows int) {
	rows := make([]*tlRow, len(t.Rows))
	for i, r := range t.Rows {
		row := &tlRow{id: r.ID, name: r.Name, group: r.Group, cap: make([]float64, days), onset: days}
		for d := range days {
			c := 1.0
			if d < len(r.Capacity) {
				c = r.Capacity[d]
			}
			row.cap[d] = c
			row.lost += 1 - c
			if c < 1 && row.onset == days {
				row.onset = d
			}
		}
		rows[i] = row
	}
	// Fold the rows that lose least first; every first fold of a group
	// takes a row and gives one, every later one takes a row.
	fold := map[*tlRow]bool{}
	if len(rows) > maxRows {
		least := slices.Clone(rows)
		slices.SortStableFunc(least, func(a, b *tlRow) int {
			if a.lost != b.lost {
				return cmpFloat(a.lost, b.lost)
			}
			if a.onset != b.onset {
				return b.onset - a.onset
			}
			return strings.Compare(b.id, a.id)
		})
		count, inGroup := len(rows), map[string]int{}
		for _, r := range least {
			if count <= maxRows {
				break
			}
			if inGroup[r.group] > 0 {
				count--
			}
			inGroup[r.group]++
			fold[r] = true
		}
		// A fold of one is drawn as the row itself.
		for _, r := range least {
			if fold[r] && inGroup[r.group] == 1 {
				delete(fold, r)
			}
		}
	}
	byGroup = map[string][]*tlRow{}
	foldOf := map[string]*tlRow{}
	for _, r := range rows {
		if _, ok := byGroup[r.group]; !ok {
			groups = append(groups, r.group)
			byGroup[r.group] = nil
		}
		if !fold[r] {
			byGroup[r.group] = append(byGroup[r.group], r)
			continue
		}
		f := foldOf[r.group]
		if f == nil {
			f = &tlRow{group: r.group, cap: make([]float64, days), onset: days}
			foldOf[r.group] = f
		}
		f.members++
		for d, c := range r.cap {
			f.cap[d] += c
		}
		f.lost += r.lost
		folded++
	}
	for _, list := range byGroup {
		slices.SortFunc(list, func(a, b *tlRow) int {
			if a.onset != b.onset {
				return a.onset - b.onset
			}
			return strings.Compare(a.id, b.id)
		})
	}
	for _, g := range groups {
		if f := foldOf[g]; f != nil {
			for d := range f.cap {
				f.cap[d] /= float64(f.members)
				if f.cap[d] < 1 && f.onset == days {
					f.onset = d
				}
			}
			f.id = "folded:" + g
			f.name = fmt.Sprintf("%d more organisations", f.members)
			byGroup[g] = append(byGroup[g], f)
			foldRows++
		}
	}
	// Groups by their first onset, then name; the rows of no ICB last.
	first := func(g string) int {
		o := days
		for _, r := range byGroup[g] {
			o = min(o, r.onset)
		}
		return o
	}
	slices.SortFunc(groups, func(a, b string) int {
		if (a == "") != (b == "") {
			if a == "" {
				return 1
			}
			return -1
		}
		if fa, fb := first(a), first(b); fa != fb {
			return fa - fb
		}
		return strings.Compare(a, b)
	})
	return groups, byGroup, folded, foldRows
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// back is the day from which the capacity stays at 1, or -1 if it never
// does within the days drawn.
func back(c []float64) int {
	for d := len(c) - 1; d >= 0; d-- {
		if c[d] < 1 {
			if d+1 >= len(c) {
				return -1
			}
			return d + 1
		}
	}
	return 0
}

// measurer measures text as the PNG painter draws it, which is close to
// how Helvetica and Arial set it in a browser.
type measurer struct{ p painter }

func (m *measurer) width(s string, size float64, bold bool) float64 {
	m.p.scale, m.p.fontSize, m.p.bold = 1, size, bold
	f := m.p.face()
	if f == nil {
		return float64(len(s)) * size * 0.55
	}
	return float64(font.MeasureString(f, s)) / 64
}

// fit cuts s, a rune at a time, until it is no wider than w, and marks the
// cut with an ellipsis.
func (m *measurer) fit(s string, size float64, bold bool, w float64) string {
	w += 1e-6 // widths computed back from a column's may come out a hair short
	if m.width(s, size, bold) <= w {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if m.width(string(r[:mid])+"…", size, bold) <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(string(r[:lo]), " ") + "…"
}

// dayLabel names a day: its date from the start, or its number.
func (t *Timeline) dayLabel(d int, year bool) string {
	if t.Start.IsZero() {
		return "day " + strconv.Itoa(d)
	}
	day := t.Start.AddDate(0, 0, d)
	if year {
		return day.Format("2 Jan 2006")
	}
	return day.Format("2 Jan")
}

// count writes a number of things with thousands separated: 10,152.
func count(v float64) string {
	n := int64(math.Round(v))
	s := strconv.FormatInt(max(n, -n), 10)
	var b strings.Builder
	if n < 0 {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// amount writes a total lost: whole numbers from 10 up, one decimal below.
func amount(v float64) string {
	if v < 10 && v != math.Round(v) {
		return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
	}
	return count(v)
}

// series is one bar chart: a value for each week.
type series struct {
	label string
	total float64
	weeks []float64
}

// layout lays the timeline out.
func (t *Timeline) layout() (*timelineLayout, error) {
	days, err := t.check()
	if err != nil {
		return nil, err
	}
	maxRows := t.MaxRows
	if maxRows <= 0 {
		maxRows = DefaultTimelineRows
	}
	groups, byGroup, folded, foldRows := rowsToDraw(t, days, maxRows)
	m := &measurer{}
	L := &timelineLayout{folded: folded, foldRows: foldRows}
	add := func(k mark) { L.marks = append(L.marks, k) }
	text := func(x, y float64, s string, size float64, bold bool, anchor int, colour, class string) {
		add(mark{kind: textMark, x: x, y: y, text: s, size: size, bold: bold, anchor: anchor, colour: colour, class: class})
	}
	rect := func(x, y, w, h float64, colour, class string) {
		add(mark{kind: rectMark, x: x, y: y, w: w, h: h, colour: colour, class: class})
	}

	// The columns: names, days, the day each is back.
	labelW := 120.0
	for _, g := range groups {
		for _, r := range byGroup[g] {
			// A browser's Helvetica or Arial may set a little wider.
			labelW = max(labelW, math.Min(tlMaxLabel, m.width(textsafe.Line(r.name), 11, r.members > 0)*1.05+16))
		}
	}
	cellW := tlMaxCell
	if days > 0 {
		cellW = math.Min(tlMaxCell, math.Floor(tlChartW/float64(days)*100)/100)
	}
	chartX := tlPad + labelW + 8
	chartW := cellW * float64(days)
	L.w = math.Max(chartX+chartW+tlRightW+tlPad, 640)
	full := L.w - 2*tlPad

	title := t.Title
	if title == "" {
		title = "Capacity over time"
	}
	L.title = textsafe.Line(title)
	y := tlPad + 18
	text(tlPad, y, m.fit(L.title, 18, true, full), 18, true, -1, inkColour, "title")
	if t.Subtitle != "" {
		y += 20
		text(tlPad, y, m.fit(textsafe.Line(t.Subtitle), 12, false, full), 12, false, -1, greyText, "subtitle")
	}
	from := "the attack"
	if !t.Start.IsZero() {
		from += ", " + t.dayLabel(0, true)
	}
	short := 0 // the rows that fall below full within the days drawn
	for _, r := range t.Rows {
		if slices.ContainsFunc(r.Capacity[:min(days, len(r.Capacity))], func(c float64) bool { return c < 1 }) {
			short++
		}
	}
	period := fmt.Sprintf("%d organisations lose capacity over %d days from %s.", short, days, from)
	if short == 1 {
		period = strings.Replace(period, "organisations lose", "organisation loses", 1)
	}
	L.desc = period
	y += 20
	text(tlPad, y, m.fit(period, 12, false, full), 12, false, -1, greyText, "period")
	if folded > 0 {
		y += 18
		note := fmt.Sprintf("%d organisations that lose the fewest service-days are folded into %d rows, one for each ICB, drawn at their mean capacity.", folded, foldRows)
		L.desc += " " + note
		text(tlPad, y, m.fit(note, 12, false, full), 12, false, -1, greyText, "folded")
	}

	// The legend of the ramp.
	y += 14
	legendX := tlPad
	text(legendX, y+10, "Capacity each day:", 12, true, -1, inkColour, "legend")
	legendX += m.width("Capacity each day:", 12, true)*1.05 + 10
	for _, pct := range []int{0, 25, 50, 75, 100} {
		rect(legendX, y, 22, tlCellH, CapacityColour(float64(pct)/100), "legend-swatch")
		rect(legendX, y, 22, 1, greyText, "legend")
		rect(legendX, y+tlCellH-1, 22, 1, greyText, "legend")
		rect(legendX, y, 1, tlCellH, greyText, "legend")
		rect(legendX+21, y, 1, tlCellH, greyText, "legend")
		label := strconv.Itoa(pct) + "%"
		text(legendX+26, y+10, label, 11, false, -1, inkColour, "legend")
		legendX += 26 + m.width(label, 11, false) + 12
	}
	text(legendX+4, y+10, "(one cell a day; dark is no service, white is full service)", 11, false, -1, greyText, "legend")
	y += tlCellH + 14

	if len(t.Rows) == 0 || days == 0 {
		y += 16
		text(tlPad, y, "No organisation loses capacity.", 12, false, -1, inkColour, "empty")
		L.h = y + tlPad
		return L, nil
	}

	axis := func(y float64, below bool) {
		// A tick each week, labelled as often as labels fit.
		labelEvery := every(m.width(t.dayLabel(days-1, true), 10, false)+10, 7*cellW)
		lastYear := -1
		for d, k := 0, 0; d < days; d, k = d+7, k+1 {
			x := chartX + float64(d)*cellW
			if below {
				rect(x, y, 1, 4, greyText, "tick")
			} else {
				rect(x, y-4, 1, 4, greyText, "tick")
			}
			if k%labelEvery != 0 {
				continue
			}
			if x+m.width(t.dayLabel(d, true), 10, false) > chartX+chartW+4 {
				continue // it would run into the last column
			}
			yr := !t.Start.IsZero() && t.Start.AddDate(0, 0, d).Year() != lastYear
			if yr {
				lastYear = t.Start.AddDate(0, 0, d).Year()
			}
			ly := y - 7
			if below {
				ly = y + 15
			}
			label := t.dayLabel(d, yr && d == 0)
			if yr && d > 0 {
				label = t.dayLabel(d, true)
			}
			text(x, ly, label, 10, false, -1, greyText, "axis")
		}
	}
	y += 18
	axis(y, false)
	rightX := chartX + chartW + 8
	text(rightX, y-7, "back to full", 10, true, -1, greyText, "axis")

	for _, g := range groups {
		name := g
		if name == "" {
			name = "No ICB"
		}
		n := 0
		for _, r := range byGroup[g] {
			n += max(r.members, 1)
		}
		heading := fmt.Sprintf("%s (%d)", textsafe.Line(name), n)
		add(mark{kind: openMark, class: "group", text: heading})
		text(tlPad, y+14, m.fit(heading, 12, true, full), 12, true, -1, inkColour, "group-name")
		rect(tlPad, y+tlHeadH-2, chartX+chartW-tlPad, 1, ruleColour, "rule")
		y += tlHeadH
		for _, r := range byGroup[g] {
			safe := textsafe.Line(r.name)
			tip := safe
			class := "row"
			if r.members > 0 {
				class = "row folded"
				tip = fmt.Sprintf("%s of %s, at their mean capacity", safe, textsafe.Line(name))
			}
			b := "not back to full"
			if d := back(r.cap); d >= 0 {
				b = "back to full " + t.dayLabel(d, false)
			}
			tip += fmt.Sprintf(": below full from %s, %s, %s service-days lost", t.dayLabel(r.onset, false), b, amount(r.lost))
			add(mark{kind: openMark, class: class, id: textsafe.Line(r.id), text: tip})
			colour := inkColour
			if r.members > 0 {
				colour = greyText
			}
			text(tlPad+8, y+10.5, m.fit(safe, 11, r.members > 0, (labelW-16)/1.05), 11, r.members > 0, -1, colour, "name")
			rect(chartX-1, y, chartW+2, tlCellH+2, frameColour, "frame")
			add(mark{kind: cellsMark, x: chartX, y: y + 1, w: cellW, h: tlCellH, cells: r.cap})
			L.cells += len(r.cap)
			switch d := back(r.cap); {
			case r.onset == days:
				b = "never below"
			case d < 0:
				b = "not back"
			default:
				// The year, once it is not the attack's.
				b = t.dayLabel(d, !t.Start.IsZero() && t.Start.AddDate(0, 0, d).Year() != t.Start.Year())
			}
			text(rightX, y+10.5, b, 10, false, -1, greyText, "back")
			add(mark{kind: closeMark})
			L.rows++
			y += tlRowH
		}
		add(mark{kind: closeMark})
	}
	y += 4
	axis(y, true)
	y += 30

	// What is lost each week, a chart for each unit, aligned with the days.
	weeks := (days + 6) / 7
	var charts []series
	units := t.Units
	if len(units) == 0 {
		set := map[string]bool{}
		for _, w := range t.Weekly {
			for u := range w.Lost {
				set[u] = true
			}
		}
		for u := range set {
			units = append(units, u)
		}
		slices.Sort(units)
	}
	for _, u := range units {
		// Units are words joined by hyphens: outpatient-appointments.
		s := series{label: strings.NewReplacer("-", " ", "_", " ").Replace(textsafe.Line(u)), weeks: make([]float64, weeks)}
		for _, w := range t.Weekly {
			s.weeks[w.Week-1] += w.Lost[u]
			s.total += w.Lost[u]
		}
		charts = append(charts, s)
	}
	if len(charts) == 0 {
		s := series{label: "service-days", weeks: make([]float64, weeks)}
		for _, r := range t.Rows {
			for d := range min(days, len(r.Capacity)) {
				s.weeks[d/7] += 1 - r.Capacity[d]
				s.total += 1 - r.Capacity[d]
			}
		}
		charts = append(charts, s)
	}
	var others []series
	if len(charts) > MaxTimelineCharts {
		others = charts[MaxTimelineCharts:]
		charts = charts[:MaxTimelineCharts]
	}
	for ci, s := range charts {
		head := fmt.Sprintf("%s lost each week (%s in all)", s.label, amount(s.total))
		text(tlPad, y, m.fit(head, 12, true, full), 12, true, -1, inkColour, "chart-title")
		y += 8
		top := slices.Max(s.weeks)
		scale := niceCeil(top)
		base := y + tlBarH
		rect(chartX, y, chartW, 1, "#f0f0f0", "grid")
		rect(chartX, base, chartW, 1, greyText, "baseline")
		text(chartX-6, y+8, amount(scale), 10, false, 1, greyText, "scale")
		text(chartX-6, base, "0", 10, false, 1, greyText, "scale")
		barGap := math.Min(2, 7*cellW/4)
		for w, v := range s.weeks {
			x := chartX + float64(7*w)*cellW
			wide := float64(min(7*(w+1), days)-7*w)*cellW - barGap
			if v > 0 && scale > 0 {
				h := tlBarH * v / scale
				rect(x+barGap/2, base-h, wide, h, barColour, "bar")
				if 7*cellW >= 30 {
					text(x+barGap/2+wide/2, base-h-3, amount(v), 9, false, 0, greyText, "bar-value")
				}
			}
		}
		y = base
		if ci == len(charts)-1 {
			// Week numbers under the last chart, as often as they fit.
			step := every(m.width("week 00", 10, false)+8, 7*cellW)
			for w := 0; w < weeks; w += step {
				label := "week " + strconv.Itoa(w+1)
				x := chartX + float64(7*w)*cellW + float64(min(7, days-7*w))*cellW/2
				text(x, base+14, label, 10, false, 0, greyText, "axis")
			}
			y += 14
		}
		y += 26
	}
	if len(others) > 0 {
		var parts []string
		for _, s := range others {
			parts = append(parts, s.label+" "+amount(s.total))
		}
		text(tlPad, y, m.fit("Also lost, in all: "+strings.Join(parts, "; "), 12, false, full), 12, false, -1, inkColour, "others")
		y += 20
	}
	L.h = y - 10 + tlPad
	return L, nil
}

// every is how many weeks apart labels of width w go, when a week is
// week wide: 1, 2 or 4 weeks, then 8, 13, 26 or 52.
func every(w, week float64) int {
	for _, k := range []int{1, 2, 4, 8, 13, 26, 52} {
		if float64(k)*week >= w {
			return k
		}
	}
	return 52
}

// niceCeil is the least of 1, 2 or 5 times a power of ten at least v: the
// top of a chart's scale.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, k := range []float64{1, 2, 5, 10} {
		if k*p >= v*(1-1e-12) {
			return k * p
		}
	}
	return 10 * p
}
