package render

import (
	"cmp"
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
	// DaysWidth is the widest the days are drawn, in pixels, for a page
	// that shows the picture narrow (a printed brief); 0 means 1100, and
	// it is never below 280.
	DaysWidth float64
	// Stocks are the shared stocks the organisations draw on, each
	// charted under the strips by its level; those that never fall
	// below full are only named.
	Stocks []TimelineStock
}

// A TimelineRow is one organisation's capacity, day by day.
type TimelineRow struct {
	ID, Name string
	Group    string    // the name of its ICB; "" for none
	Capacity []float64 // from day 0, each in 0..1
	// Strain, if not nil, is when the organisation is strained: it
	// helps a neighbour at a cost to its own work, or a shared stock it
	// draws on is below its alert. A row strained but never short is
	// drawn all the same.
	Strain *TimelineStrain
}

// A TimelineStrain is the days an organisation is strained.
type TimelineStrain struct {
	// From is the first day strained; Until the day from which it is
	// strained no more, or 0 for the last day drawn.
	From, Until int
	// Days is how many of the days from From to Until it is strained;
	// 0 means all of them.
	Days int
	// By names the helpers and stocks that strain it.
	By []string
}

// A TimelineStock is a shared stock's level, in days of normal demand.
type TimelineStock struct {
	ID, Name string
	Full     float64   // its level before the attack, above 0
	Alert    float64   // below it, the stock and its consumers are strained
	Level    []float64 // at the start of each day from day 0, each in 0..Full
}

// MaxTimelineStocks is how many stocks get a chart of their own; the
// others are named with the day they fall below their alert.
const MaxTimelineStocks = 4

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
	// strainColour marks the days strained and a stock below its alert:
	// a purple, apart in hue from the ramp and the bars, dark enough to
	// show on white and set off from the darkest capacity by a white
	// edge.
	strainColour = "#54278f"
	// stockColour is a stock's level at or above its alert.
	stockColour = "#bcbddc"
)

// tlRow is a row as drawn: an organisation or a fold of several.
type tlRow struct {
	id, name, group string
	cap             []float64 // Days values
	onset           int       // the first day below 1, or Days
	lost            float64   // service-days lost
	members         int       // for a fold, how many it stands for; else 0
	// strained is, by day, whether it is strained; nil if never.
	// strainFrom is its first day strained, or Days; strainedN, for a
	// fold, how many of its members are strained.
	strained   []bool
	strainFrom int
	strainedN  int
	strain     *TimelineStrain // for an organisation's row
}

// first is the row's first day short or strained.
func (r *tlRow) first() int { return min(r.onset, r.strainFrom) }

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
		for _, s := range t.Stocks {
			days = max(days, len(s.Level))
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
		if s := r.Strain; s != nil {
			switch {
			case s.From < 0:
				return 0, fmt.Errorf("timeline: row %q: strained from day %d (days count from 0)", textsafe.Line(r.ID), s.From)
			case s.Until != 0 && s.Until <= s.From:
				return 0, fmt.Errorf("timeline: row %q: strained from day %d until day %d (until is after from, or 0 for the last day drawn)", textsafe.Line(r.ID), s.From, s.Until)
			case s.Days < 0 || s.Until != 0 && s.Days > s.Until-s.From:
				return 0, fmt.Errorf("timeline: row %q: strained %d days from day %d until day %d", textsafe.Line(r.ID), s.Days, s.From, s.Until)
			}
		}
	}
	seenStock := map[string]bool{}
	for _, s := range t.Stocks {
		id := textsafe.Line(s.ID)
		if seenStock[s.ID] {
			return 0, fmt.Errorf("timeline: stock %q twice", id)
		}
		seenStock[s.ID] = true
		if !(s.Full > 0) || math.IsInf(s.Full, 0) || !(s.Alert >= 0) || math.IsInf(s.Alert, 0) {
			return 0, fmt.Errorf("timeline: stock %q: full at %v days, alert at %v (full is above 0, the alert at least 0)", id, s.Full, s.Alert)
		}
		if len(s.Level) > MaxTimelineDays {
			return 0, fmt.Errorf("timeline: stock %q: %d days of levels (at most %d can be drawn)", id, len(s.Level), MaxTimelineDays)
		}
		for d, v := range s.Level {
			if !(v >= 0 && v <= s.Full) {
				return 0, fmt.Errorf("timeline: stock %q, day %d: level %v is outside 0..%v", id, d, v, s.Full)
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

// rowsToDraw orders the rows by group and their first day short or
// strained, and folds the ones that lose least beyond max, one fold for
// each group.
func rowsToDraw(t *Timeline, days, maxRows int) (groups []string, byGroup map[string][]*tlRow, folded, foldRows int) {
	rows := make([]*tlRow, len(t.Rows))
	for i, r := range t.Rows {
		row := &tlRow{id: r.ID, name: r.Name, group: r.Group, cap: make([]float64, days), onset: days, strainFrom: days}
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
		if s := r.Strain; s != nil && s.From < days {
			until := days
			if s.Until > 0 {
				until = min(s.Until, days)
			}
			row.strained = make([]bool, days)
			for d := s.From; d < until; d++ {
				row.strained[d] = true
			}
			row.strainFrom, row.strain = s.From, s
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
				return cmp.Compare(a.lost, b.lost)
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
			f = &tlRow{group: r.group, cap: make([]float64, days), onset: days, strainFrom: days}
			foldOf[r.group] = f
		}
		f.members++
		for d, c := range r.cap {
			f.cap[d] += c
		}
		if r.strained != nil {
			// A fold is strained on a day any of its members is.
			if f.strained == nil {
				f.strained = make([]bool, days)
			}
			for d, s := range r.strained {
				f.strained[d] = f.strained[d] || s
			}
			f.strainFrom = min(f.strainFrom, r.strainFrom)
			f.strainedN++
		}
		f.lost += r.lost
		folded++
	}
	for _, list := range byGroup {
		slices.SortFunc(list, func(a, b *tlRow) int {
			if a.first() != b.first() {
				return a.first() - b.first()
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
			o = min(o, r.first())
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
