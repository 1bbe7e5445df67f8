package render

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/blastradius/blastradius/internal/textsafe"
)

// A timeline is laid out once, top to bottom, as marks: the heading, the
// legend of the ramp, the strips between two axes, the charts of what is
// lost each week. The SVG writer and the PNG painter draw the same marks.

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
	// A strained day is a band this high under the strip, which is as
	// much further from the next.
	tlStrainH = 3.0
	tlStockH  = 40.0 // a stock's chart
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
	spans      [][2]int // spanMark: days from, until
	fills      []string // levelMark: each day's colour
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
	// spanMark is runs of days, each from spans[i][0] to spans[i][1]
	// (not included), a day w wide, h high, from x, y.
	spanMark
	// levelMark is a bar for each day, w wide, from the bottom of a box
	// h high at x, y up to the fraction cells[d] of it, in fills[d].
	levelMark
	// dashMark is a dashed line w long, from x, y to the right.
	dashMark
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

// lay is a timeline being laid out: the columns, and how far down it is.
type lay struct {
	t      *Timeline
	days   int
	m      measurer
	L      *timelineLayout
	y      float64
	labelW float64 // the names
	cellW  float64 // a day
	chartX float64 // where day 0 starts
	chartW float64 // all the days
	full   float64 // the width text may take
	rowH   float64 // a strip and the space under it
	// strained is how many rows are strained within the days drawn.
	strained int
}

func (l *lay) add(k mark) { l.L.marks = append(l.L.marks, k) }

func (l *lay) text(x, y float64, s string, size float64, bold bool, anchor int, colour, class string) {
	l.add(mark{kind: textMark, x: x, y: y, text: s, size: size, bold: bold, anchor: anchor, colour: colour, class: class})
}

func (l *lay) rect(x, y, w, h float64, colour, class string) {
	l.add(mark{kind: rectMark, x: x, y: y, w: w, h: h, colour: colour, class: class})
}

// line is a line of text across the drawing, cut to fit.
func (l *lay) line(s string, size float64, bold bool, colour, class string) {
	l.text(tlPad, l.y, l.m.fit(s, size, bold, l.full), size, bold, -1, colour, class)
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
	l := &lay{t: t, days: days, L: &timelineLayout{folded: folded, foldRows: foldRows}, rowH: tlRowH}
	for _, r := range t.Rows {
		if r.Strain != nil && r.Strain.From < days {
			l.strained++
		}
	}
	if l.strained > 0 {
		l.rowH += tlStrainH + 1
	}
	l.columns(groups, byGroup)
	l.heading()
	l.legend()
	if len(t.Rows) == 0 || days == 0 {
		l.y += 16
		l.line("No organisation loses capacity.", 12, false, inkColour, "empty")
		l.L.h = l.y + tlPad
		return l.L, nil
	}
	l.y += 18
	l.axis(false)
	l.text(l.chartX+l.chartW+8, l.y-7, "back to full", 10, true, -1, greyText, "axis")
	for _, g := range groups {
		l.group(g, byGroup[g])
	}
	l.y += 4
	l.axis(true)
	l.y += 30
	l.stocks()
	l.charts()
	l.L.h = l.y - 10 + tlPad
	return l.L, nil
}

// columns sets the widths: the names as wide as the widest needs, up to
// a limit; a day as wide as fits, up to a limit.
func (l *lay) columns(groups []string, byGroup map[string][]*tlRow) {
	l.labelW = 120
	for _, g := range groups {
		for _, r := range byGroup[g] {
			// A browser's Helvetica or Arial may set a little wider.
			l.labelW = max(l.labelW, math.Min(tlMaxLabel, l.m.width(textsafe.Line(r.name), 11, r.members > 0)*1.05+16))
		}
	}
	l.cellW = tlMaxCell
	if l.days > 0 {
		chartW := tlChartW
		if l.t.DaysWidth > 0 {
			chartW = math.Max(280, l.t.DaysWidth)
		}
		l.cellW = math.Min(tlMaxCell, math.Floor(chartW/float64(l.days)*100)/100)
	}
	l.chartX = tlPad + l.labelW + 8
	l.chartW = l.cellW * float64(l.days)
	l.L.w = math.Max(l.chartX+l.chartW+tlRightW+tlPad, 640)
	l.full = l.L.w - 2*tlPad
}

// heading is the title, the subtitle, what the drawing covers and what
// it folds.
func (l *lay) heading() {
	t, L := l.t, l.L
	title := t.Title
	if title == "" {
		title = "Capacity over time"
	}
	L.title = textsafe.Line(title)
	l.y = tlPad + 18
	l.line(L.title, 18, true, inkColour, "title")
	if t.Subtitle != "" {
		l.y += 20
		l.line(textsafe.Line(t.Subtitle), 12, false, greyText, "subtitle")
	}
	from := "the attack"
	if !t.Start.IsZero() {
		from += ", " + t.dayLabel(0, true)
	}
	short := 0 // the rows that fall below full within the days drawn
	for _, r := range t.Rows {
		if slices.ContainsFunc(r.Capacity[:min(l.days, len(r.Capacity))], func(c float64) bool { return c < 1 }) {
			short++
		}
	}
	L.desc = fmt.Sprintf("%d organisations lose capacity over %d days from %s.", short, l.days, from)
	switch {
	case short == 0:
		L.desc = fmt.Sprintf("No organisation loses capacity over %d days from %s.", l.days, from)
	case short == 1:
		L.desc = strings.Replace(L.desc, "organisations lose", "organisation loses", 1)
	}
	if l.days == 1 {
		L.desc = strings.Replace(L.desc, " 1 days ", " 1 day ", 1)
	}
	switch {
	case l.strained == 1:
		L.desc = strings.TrimSuffix(L.desc, ".") + "; 1 is strained."
	case l.strained > 1:
		L.desc = strings.TrimSuffix(L.desc, ".") + fmt.Sprintf("; %d are strained.", l.strained)
	}
	l.y += 20
	l.line(L.desc, 12, false, greyText, "period")
	if L.folded > 0 {
		l.y += 18
		note := fmt.Sprintf("%d organisations that lose the fewest service-days are folded into %d rows, one for each ICB, drawn at their mean capacity.", L.folded, L.foldRows)
		L.desc += " " + note
		l.line(note, 12, false, greyText, "folded")
	}
}

// legend is the ramp, at a quarter's steps.
func (l *lay) legend() {
	l.y += 14
	x := tlPad
	l.text(x, l.y+10, "Capacity each day:", 12, true, -1, inkColour, "legend")
	x += l.m.width("Capacity each day:", 12, true)*1.05 + 10
	for _, pct := range []int{0, 25, 50, 75, 100} {
		l.rect(x, l.y, 22, tlCellH, CapacityColour(float64(pct)/100), "legend-swatch")
		l.rect(x, l.y, 22, 1, greyText, "legend")
		l.rect(x, l.y+tlCellH-1, 22, 1, greyText, "legend")
		l.rect(x, l.y, 1, tlCellH, greyText, "legend")
		l.rect(x+21, l.y, 1, tlCellH, greyText, "legend")
		label := strconv.Itoa(pct) + "%"
		l.text(x+26, l.y+10, label, 11, false, -1, inkColour, "legend")
		x += 26 + l.m.width(label, 11, false) + 12
	}
	note := "(one cell a day; dark is no service, white is full service)"
	if x+4+l.m.width(note, 11, false)*1.05 > l.L.w-tlPad {
		// A narrow picture says it on a line of its own.
		l.y += tlCellH + 8
		x = tlPad - 4
	}
	l.text(x+4, l.y+10, l.m.fit(note, 11, false, l.full), 11, false, -1, greyText, "legend")
	l.y += tlCellH + 14
	if l.strained == 0 {
		return
	}
	// A strip's swatch at full, with the band under it.
	x = tlPad
	l.rect(x, l.y-1, 22, tlCellH+2, frameColour, "legend")
	l.rect(x+1, l.y, 20, tlCellH, "#ffffff", "legend")
	l.rect(x, l.y+tlCellH+1, 22, tlStrainH, strainColour, "legend-strain")
	l.text(x+26, l.y+10, l.m.fit("strained (helping others at a cost, or short of a shared stock)", 11, false, l.full-26), 11, false, -1, inkColour, "legend")
	l.y += tlCellH + 12
}

// axis is a tick each week above the strips, or below them, labelled as
// often as labels fit, with the year on the first label of each year.
func (l *lay) axis(below bool) {
	t, y := l.t, l.y
	labelEvery := every(l.m.width(t.dayLabel(l.days-1, true), 10, false)+10, 7*l.cellW)
	lastYear := -1
	for d, k := 0, 0; d < l.days; d, k = d+7, k+1 {
		x := l.chartX + float64(d)*l.cellW
		if below {
			l.rect(x, y, 1, 4, greyText, "tick")
		} else {
			l.rect(x, y-4, 1, 4, greyText, "tick")
		}
		if k%labelEvery != 0 || x+l.m.width(t.dayLabel(d, true), 10, false) > l.chartX+l.chartW+4 {
			continue // not this week's, or it would run into the last column
		}
		year := !t.Start.IsZero() && t.Start.AddDate(0, 0, d).Year() != lastYear
		if year {
			lastYear = t.Start.AddDate(0, 0, d).Year()
		}
		ly := y - 7
		if below {
			ly = y + 15
		}
		l.text(x, ly, t.dayLabel(d, year), 10, false, -1, greyText, "axis")
	}
}

// group is an ICB's heading and its rows.
func (l *lay) group(g string, rows []*tlRow) {
	name := g
	if name == "" {
		name = "No ICB"
	}
	n := 0
	for _, r := range rows {
		n += max(r.members, 1)
	}
	heading := fmt.Sprintf("%s (%d)", textsafe.Line(name), n)
	l.add(mark{kind: openMark, class: "group", text: heading})
	l.text(tlPad, l.y+14, l.m.fit(heading, 12, true, l.full), 12, true, -1, inkColour, "group-name")
	l.rect(tlPad, l.y+tlHeadH-2, l.chartX+l.chartW-tlPad, 1, ruleColour, "rule")
	l.y += tlHeadH
	for _, r := range rows {
		l.row(r, name)
	}
	l.add(mark{kind: closeMark})
}

// row is one strip: the name, a cell each day, the day it is back.
func (l *lay) row(r *tlRow, group string) {
	safe := textsafe.Line(r.name)
	tip, class, colour := safe, "row", inkColour
	if r.members > 0 {
		tip = fmt.Sprintf("%s of %s, at their mean capacity", safe, textsafe.Line(group))
		class, colour = "row folded", greyText
	}
	backDay := back(r.cap)
	when := "not back"
	switch {
	case r.onset == l.days:
		when = "never below"
		tip += ": never below full"
	case backDay < 0:
		tip += fmt.Sprintf(": below full from %s, not back to full, %s service-days lost", l.t.dayLabel(r.onset, false), amount(r.lost))
	default:
		// The year, once it is not the attack's.
		when = l.t.dayLabel(backDay, !l.t.Start.IsZero() && l.t.Start.AddDate(0, 0, backDay).Year() != l.t.Start.Year())
		tip += fmt.Sprintf(": below full from %s, back to full %s, %s service-days lost", l.t.dayLabel(r.onset, false), when, amount(r.lost))
	}
	tip += l.strainTip(r)
	l.add(mark{kind: openMark, class: class, id: textsafe.Line(r.id), text: tip})
	l.text(tlPad+8, l.y+10.5, l.m.fit(safe, 11, r.members > 0, (l.labelW-16)/1.05), 11, r.members > 0, -1, colour, "name")
	l.rect(l.chartX-1, l.y, l.chartW+2, tlCellH+2, frameColour, "frame")
	l.add(mark{kind: cellsMark, x: l.chartX, y: l.y + 1, w: l.cellW, h: tlCellH, cells: r.cap})
	l.L.cells += len(r.cap)
	if spans := runs(r.strained); len(spans) > 0 {
		l.add(mark{kind: spanMark, class: "strain", x: l.chartX, y: l.y + tlCellH + 2, w: l.cellW, h: tlStrainH, colour: strainColour, spans: spans})
	}
	l.text(l.chartX+l.chartW+8, l.y+10.5, when, 10, false, -1, greyText, "back")
	l.add(mark{kind: closeMark})
	l.L.rows++
	l.y += l.rowH
}

// runs are the runs of days that are true: from, until (not included).
func runs(days []bool) [][2]int {
	var out [][2]int
	for d := 0; d < len(days); d++ {
		if !days[d] {
			continue
		}
		e := d
		for e < len(days) && days[e] {
			e++
		}
		out = append(out, [2]int{d, e})
		d = e
	}
	return out
}

// strainTip is what a row's tooltip says of its strain, or "".
func (l *lay) strainTip(r *tlRow) string {
	if r.strained == nil {
		return ""
	}
	if r.members > 0 {
		return fmt.Sprintf("; %d of them strained, the first from %s", r.strainedN, l.t.dayLabel(r.strainFrom, false))
	}
	s, until := r.strain, l.days
	if s.Until > 0 {
		until = min(s.Until, l.days)
	}
	var tip string
	switch {
	case s.Days > 0 && s.Days < until-s.From:
		tip = fmt.Sprintf("; strained on %d of the days from %s to %s", s.Days, l.t.dayLabel(s.From, false), l.t.dayLabel(until-1, false))
	case until == l.days && (s.Until == 0 || s.Until > l.days):
		tip = fmt.Sprintf("; strained from %s to the last day drawn", l.t.dayLabel(s.From, false))
	case until-1 == s.From:
		tip = "; strained on " + l.t.dayLabel(s.From, false)
	default:
		tip = fmt.Sprintf("; strained from %s to %s", l.t.dayLabel(s.From, false), l.t.dayLabel(until-1, false))
	}
	if len(s.By) > 0 {
		var by []string
		for _, b := range s.By {
			by = append(by, textsafe.Line(b))
		}
		tip += ", by " + strings.Join(by, ", ")
	}
	return tip
}

// weekly is what each chart shows: a series for each unit, in the order
// of Units; or, without activity, the service-days lost over all rows.
func (l *lay) weekly() (charts, others []series) {
	t, weeks := l.t, (l.days+6)/7
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
			for d := range min(l.days, len(r.Capacity)) {
				s.weeks[d/7] += 1 - r.Capacity[d]
				s.total += 1 - r.Capacity[d]
			}
		}
		charts = append(charts, s)
	}
	if len(charts) > MaxTimelineCharts {
		return charts[:MaxTimelineCharts], charts[MaxTimelineCharts:]
	}
	return charts, nil
}

// charts are what is lost each week, a bar chart for each unit under the
// days it is lost in, the week numbers under the last; the units beyond
// the charts' number are listed with their totals.
func (l *lay) charts() {
	charts, others := l.weekly()
	weeks := (l.days + 6) / 7
	for ci, s := range charts {
		l.line(fmt.Sprintf("%s lost each week (%s in all)", s.label, amount(s.total)), 12, true, inkColour, "chart-title")
		l.y += 8
		scale := niceCeil(slices.Max(s.weeks))
		base := l.y + tlBarH
		l.rect(l.chartX, l.y, l.chartW, 1, "#f0f0f0", "grid")
		l.rect(l.chartX, base, l.chartW, 1, greyText, "baseline")
		l.text(l.chartX-6, l.y+8, amount(scale), 10, false, 1, greyText, "scale")
		l.text(l.chartX-6, base, "0", 10, false, 1, greyText, "scale")
		gap := math.Min(2, 7*l.cellW/4)
		for w, v := range s.weeks {
			if v <= 0 || scale <= 0 {
				continue
			}
			x := l.chartX + float64(7*w)*l.cellW + gap/2
			wide := float64(min(7*(w+1), l.days)-7*w)*l.cellW - gap
			h := tlBarH * v / scale
			l.rect(x, base-h, wide, h, barColour, "bar")
			if 7*l.cellW >= 30 {
				l.text(x+wide/2, base-h-3, amount(v), 9, false, 0, greyText, "bar-value")
			}
		}
		l.y = base
		if ci == len(charts)-1 {
			wide := l.m.width("week 00", 10, false) + 8
			step := every(wide, 7*l.cellW)
			last := math.Inf(-1)
			for w := 0; w < weeks; w += step {
				x := l.chartX + float64(7*w)*l.cellW + float64(min(7, l.days-7*w))*l.cellW/2
				if x-last < wide { // a short last week, too close to the one before
					continue
				}
				l.text(x, base+14, "week "+strconv.Itoa(w+1), 10, false, 0, greyText, "axis")
				last = x
			}
			l.y += 14
		}
		l.y += 26
	}
	if len(others) > 0 {
		var parts []string
		for _, s := range others {
			parts = append(parts, s.label+" "+amount(s.total))
		}
		l.line("Also lost, in all: "+strings.Join(parts, "; "), 12, false, inkColour, "others")
		l.y += 20
	}
}

// stocks are the shared stocks' charts, under the days they are drawn
// down on: the level each day, the alert as a dashed line, the day it
// falls below the alert and its lowest, labelled; the stocks beyond the
// charts' number, and those never drawn down, are named on a line.
func (l *lay) stocks() {
	var others []string
	charted := 0
	for _, s := range l.t.Stocks {
		name := textsafe.Line(s.Name)
		if name == "" {
			name = textsafe.Line(s.ID)
		}
		level := s.Level[:min(len(s.Level), l.days)]
		low := -1 // the first day at its lowest
		for d, v := range level {
			if low < 0 || v < level[low] {
				low = d
			}
		}
		below := -1 // the first day below the alert
		for d, v := range level {
			if v < s.Alert {
				below = d
				break
			}
		}
		if low < 0 || level[low] >= s.Full || charted == MaxTimelineStocks {
			switch {
			case below >= 0:
				others = append(others, fmt.Sprintf("%s (below its alert from %s)", name, l.t.dayLabel(below, false)))
			case low >= 0 && level[low] < s.Full:
				others = append(others, fmt.Sprintf("%s (lowest %s on %s)", name, daysOf(level[low]), l.t.dayLabel(low, false)))
			default:
				others = append(others, name+" (never drawn down)")
			}
			continue
		}
		charted++
		title := fmt.Sprintf("%s, in days of normal demand (alert at %s)", name, daysOf(s.Alert))
		if below < 0 {
			title = fmt.Sprintf("%s, in days of normal demand (alert at %s, never below it)", name, daysOf(s.Alert))
		}
		l.add(mark{kind: openMark, class: "stock", id: textsafe.Line(s.ID), text: title})
		l.line(title, 12, true, inkColour, "stock-title")
		l.y += 22
		top, base := l.y, l.y+tlStockH
		height := func(v float64) float64 { return tlStockH * v / s.Full }
		l.rect(l.chartX, top, l.chartW, 1, "#f0f0f0", "grid")
		l.text(l.chartX-6, top+8, amount(s.Full), 10, false, 1, greyText, "scale")
		l.text(l.chartX-6, base, "0", 10, false, 1, greyText, "scale")
		frac, fills := make([]float64, len(level)), make([]string, len(level))
		for d, v := range level {
			frac[d], fills[d] = v/s.Full, stockColour
			if v < s.Alert {
				fills[d] = strainColour
			}
		}
		l.add(mark{kind: levelMark, class: "level", x: l.chartX, y: top, w: l.cellW, h: tlStockH, cells: frac, fills: fills})
		l.rect(l.chartX, base, l.chartW, 1, greyText, "baseline")
		ay := base - height(s.Alert)
		l.add(mark{kind: dashMark, class: "alert", x: l.chartX, y: ay, w: l.chartW, colour: inkColour})
		l.text(l.chartX+l.chartW+8, ay+3.5, "alert "+daysOf(s.Alert), 10, false, -1, greyText, "alert-label")
		// A label starts at its day, or ends there if it would run past
		// the days.
		label := func(d int, y float64, text, class string) {
			x := l.chartX + float64(d)*l.cellW
			if x+3+l.m.width(text, 10, false) <= l.chartX+l.chartW {
				l.text(x+3, y, text, 10, false, -1, inkColour, class)
			} else {
				l.text(x-3, y, text, 10, false, 1, inkColour, class)
			}
		}
		if below >= 0 {
			l.rect(l.chartX+float64(below)*l.cellW, top-10, 1, tlStockH+10, inkColour, "crossing")
			label(below, top-3, "below the alert from "+l.t.dayLabel(below, false), "stock-crossing")
		}
		x := l.chartX + (float64(low)+0.5)*l.cellW
		l.rect(x, base+1, 1, 4, inkColour, "tick")
		label(low, base+14, fmt.Sprintf("lowest %s on %s", daysOf(level[low]), l.t.dayLabel(low, false)), "stock-lowest")
		l.add(mark{kind: closeMark})
		l.y = base + 14 + 30
	}
	if len(others) > 0 {
		l.line("Shared stocks: "+strings.Join(others, "; "), 12, false, inkColour, "stocks-other")
		l.y += 26
	}
}

// daysOf writes a level in days: "1.6 days", "1 day".
func daysOf(v float64) string {
	s := amount(v)
	if s == "1" {
		return "1 day"
	}
	return s + " days"
}
