package render

import (
	"bytes"
	"fmt"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blastradius/blastradius/model"
	"github.com/blastradius/blastradius/timeline"
)

// strainTimeline is three organisations over 20 days from 1 March 2025:
// a hospital short and strained by a stock, a helper strained on days 3
// to 6 while its own capacity stays full, and a hospital never strained;
// and one stock that falls from 5 days below its 2-day alert.
func strainTimeline() *Timeline {
	full := func() []float64 {
		c := make([]float64, 20)
		for d := range c {
			c[d] = 1
		}
		return c
	}
	short := full()
	for d := range 10 {
		short[d] = 0.5
	}
	level := make([]float64, 20)
	for d := range level {
		level[d] = max(1.25, 5-0.5*float64(d)) // below 2 from day 7, lowest 1.25 from day 8
	}
	return &Timeline{
		Title: "Stock and aid",
		Start: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
		Days:  20,
		Rows: []TimelineRow{
			{ID: "north", Name: "North Hospital", Group: "ICB A", Capacity: short, Strain: &TimelineStrain{From: 7, By: []string{"Blood <stock>"}}},
			{ID: "helper", Name: "Helper & Sons Trust", Group: "ICB A", Strain: &TimelineStrain{From: 3, Until: 7, By: []string{"Pathology"}}},
			{ID: "south", Name: "South Hospital", Group: "ICB A", Capacity: short},
		},
		Stocks: []TimelineStock{{ID: "blood", Name: "Blood <stock>", Full: 5, Alert: 2, Level: level}},
	}
}

// TestTimelineStrain: the strained days are a band on their own rows and
// days, the helper strained but never short has its row, the legend says
// what the band is, and the stock's chart labels the day it falls below
// its alert and its lowest with their dates.
func TestTimelineStrain(t *testing.T) {
	p := parseTimeline(t, svgOf(t, strainTimeline()))
	strain := map[string][]string{}
	var order []string
	for _, r := range p.rows {
		strain[r.id] = r.strain
		order = append(order, r.id)
	}
	if want := []string{"north", "south", "helper"}; !slices.Equal(order, want) {
		// By first day short or strained: north and south on day 0, the
		// helper on day 3.
		t.Errorf("rows %v, want %v", order, want)
	}
	for id, want := range map[string][]string{"north": {"7-20"}, "helper": {"3-7"}, "south": nil} {
		if !slices.Equal(strain[id], want) {
			t.Errorf("row %q strained on days %v, want %v", id, strain[id], want)
		}
	}
	for _, r := range p.rows {
		if r.id == "helper" {
			if len(r.cells) != 20 || r.cells[0] != "#ffffff" {
				t.Errorf("the helper's row: %d cells, first %v; want 20 at full", len(r.cells), r.cells[:min(1, len(r.cells))])
			}
			if !strings.Contains(r.title, "strained from 4 Mar to 7 Mar, by Pathology") {
				t.Errorf("the helper's title %q does not say when it is strained", r.title)
			}
		}
		if r.id == "north" && !strings.Contains(r.title, "strained from 8 Mar to the last day drawn, by Blood <stock>") {
			t.Errorf("north's title %q", r.title)
		}
	}
	if !slices.Contains(p.texts["legend"], "strained (helping others at a cost, or short of a shared stock)") {
		t.Errorf("the legend has no strained row: %q", p.texts["legend"])
	}
	if got := p.texts["period"]; len(got) != 1 || !strings.HasSuffix(got[0], "; 2 are strained.") {
		t.Errorf("period %q", got)
	}
	checks := map[string]string{
		"stock-title":    "Blood <stock>, in days of normal demand (alert at 2 days)",
		"stock-crossing": "below the alert from 8 Mar",
		"stock-lowest":   "lowest 1.3 days on 9 Mar",
		"alert-label":    "alert 2 days",
	}
	for class, want := range checks {
		if got := p.texts[class]; !slices.Equal(got, []string{want}) {
			t.Errorf("%s %q, want %q", class, got, want)
		}
	}
	// Without strain, no legend row and no band.
	plain := strainTimeline()
	for i := range plain.Rows {
		plain.Rows[i].Strain = nil
	}
	plain.Rows = plain.Rows[:1]
	q := parseTimeline(t, svgOf(t, plain))
	if slices.Contains(q.texts["legend"], "strained (helping others at a cost, or short of a shared stock)") || q.rows[0].strain != nil {
		t.Errorf("a timeline with no strain draws it: legend %q, band %v", q.texts["legend"], q.rows[0].strain)
	}
	// The PNG paints the band in its colour, and the same bytes twice.
	a, err := TimelinePNG(strainTimeline(), PNGOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := TimelinePNG(strainTimeline(), PNGOptions{})
	if !bytes.Equal(a, b) {
		t.Error("the same timeline gave different PNG bytes")
	}
	img, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	want := parseColour(strainColour)
	found := false
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y && !found; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			wr, wg, wb, _ := want.RGBA()
			if r == wr && g == wg && b == wb {
				found = true
				break
			}
		}
	}
	if !found {
		t.Error("the PNG has no pixel in the strained colour")
	}
}

// TestTimelineStrainFolds: a folded row is banded on the days any of its
// members is strained.
func TestTimelineStrainFolds(t *testing.T) {
	tl := largeTimeline(80, 60)
	tl.Rows[1].Strain = &TimelineStrain{From: 5, Until: 9}
	tl.Rows[1].Capacity = nil // loses nothing: folded first
	p := parseTimeline(t, svgOf(t, tl))
	var banded []string
	for _, r := range p.rows {
		if r.strain != nil {
			banded = append(banded, r.id+" "+strings.Join(r.strain, ","))
		}
	}
	if want := []string{"folded:" + tl.Rows[1].Group + " 5-9"}; !slices.Equal(banded, want) {
		t.Errorf("banded rows %q, want %q", banded, want)
	}
}

// TestTimelineRefusesStrain: strain and stocks that cannot be drawn are
// refused with what is wrong.
func TestTimelineRefusesStrain(t *testing.T) {
	for _, c := range []struct {
		change func(*Timeline)
		want   string
	}{
		{func(t *Timeline) { t.Rows[0].Strain.From = -1 }, "strained from day -1"},
		{func(t *Timeline) { t.Rows[1].Strain.Until = 2 }, "until is after from"},
		{func(t *Timeline) { t.Stocks[0].Level[3] = 9 }, "level 9 is outside 0..5"},
		{func(t *Timeline) { t.Stocks[0].Full = 0 }, "full is above 0"},
		{func(t *Timeline) { t.Stocks = append(t.Stocks, t.Stocks[0]) }, `stock "blood" twice`},
	} {
		tl := strainTimeline()
		c.change(tl)
		var b bytes.Buffer
		if err := WriteTimelineSVG(&b, tl); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want %q", err, c.want)
		}
	}
}

// TestTimelineOfStrain: in the Qilin scenario Lewisham and Greenwich is
// strained from 3 to 8 June, and the O-negative stock falls below its
// 2-day alert on 21 July, lowest 1.6 days on 25 July; an organisation
// strained but never short gets a row.
func TestTimelineOfStrain(t *testing.T) {
	tl, g := synnovisTimeline(t, timeline.Options{Scenario: "Qilin ransomware, June 2024", Start: "2024-06-03"}, "synnovis-access")
	p := parseTimeline(t, svgOf(t, TimelineOf(tl, g)))
	strain := map[string][]string{}
	for _, r := range p.rows {
		strain[r.id] = r.strain
	}
	end := fmt.Sprintf("-%d", tl.Horizon)
	for id, want := range map[string][]string{"lgt": {"0-6"}, "gstt": {"48" + end}, "kch": {"48" + end}, "oxleas": nil} {
		if !slices.Equal(strain[id], want) {
			t.Errorf("%s strained on days %v, want %v", id, strain[id], want)
		}
	}
	checks := map[string]string{
		"stock-title":    "NHS Blood and Transplant O-negative red cell stock, in days of normal demand (alert at 2 days)",
		"stock-crossing": "below the alert from 21 Jul",
		"stock-lowest":   "lowest 1.6 days on 25 Jul",
	}
	for class, want := range checks {
		if got := p.texts[class]; !slices.Equal(got, []string{want}) {
			t.Errorf("%s %q, want %q", class, got, want)
		}
	}
	// A helper's consumer strained but never short.
	extra := *tl
	until := 7
	extra.Strained = append(slices.Clone(tl.Strained), &timeline.Strain{ID: "aid-only", Name: "A trust that only helps", Kind: "trust",
		Class: model.ClassOrganisation, From: 2, Days: 5, Until: &until, By: []string{"lgt-pathology"}})
	q := parseTimeline(t, svgOf(t, TimelineOf(&extra, g)))
	var row *parsedRow
	for i := range q.rows {
		if q.rows[i].id == "aid-only" {
			row = &q.rows[i]
		}
	}
	if row == nil {
		t.Fatal("an organisation strained but never short has no row")
	}
	if !slices.Equal(row.strain, []string{"2-7"}) || !strings.Contains(row.title, "never below full; strained from 5 Jun to 9 Jun, by Lewisham and Greenwich pathology") {
		t.Errorf("its row: strained %v, title %q", row.strain, row.title)
	}
}
