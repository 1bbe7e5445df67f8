package render

import (
	"math"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
	"github.com/blastradius/blastradius/timeline"
)

func synnovisTimeline(t *testing.T, opt timeline.Options, seeds ...string) (*timeline.Timeline, *graph.Graph) {
	t.Helper()
	m, err := model.Load("../examples/synnovis-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	g, err := graph.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	tl, err := timeline.Compute(g, seeds, opt)
	if err != nil {
		t.Fatal(err)
	}
	return tl, g
}

// TestTimelineOf: a row for each organisation short and none for a
// service, named as the model names it and grouped by its ICB's name; the
// weeks in the model's units; the title and the line under it.
func TestTimelineOf(t *testing.T) {
	tl, g := synnovisTimeline(t, timeline.Options{Scenario: "Qilin ransomware, June 2024", Start: "2024-06-03"}, "synnovis-access")
	v := TimelineOf(tl, g)
	if v.Title != "Qilin ransomware, June 2024" || v.Subtitle != "Ransomware compromise of synnovis-access; every node back on 16 Sep 2024" {
		t.Errorf("title %q, subtitle %q", v.Title, v.Subtitle)
	}
	if v.Start.Format("2006-01-02") != "2024-06-03" || v.Days != tl.Horizon {
		t.Errorf("start %v, %d days", v.Start, v.Days)
	}
	rows := map[string]TimelineRow{}
	for _, r := range v.Rows {
		rows[r.ID] = r
	}
	if len(rows) != tl.Totals.Organisations {
		t.Errorf("%d rows for %d organisations short", len(rows), tl.Totals.Organisations)
	}
	if _, ok := rows["synnovis-lims"]; ok {
		t.Error("a service has a row")
	}
	if r := rows["gstt"]; r.Name != "Guy's and St Thomas' NHS Foundation Trust" || r.Group != "NHS South East London Integrated Care Board" {
		t.Errorf("gstt: %+v", r.Name+" / "+r.Group)
	}
	if r := rows["synnovis"]; r.Group != "" {
		t.Errorf("synnovis, in no ICB, is in group %q", r.Group)
	}
	if len(v.Weekly) != (tl.Horizon+6)/7 || len(v.Units) != 2 {
		t.Fatalf("%d weeks, units %v", len(v.Weekly), v.Units)
	}
	for i, w := range tl.Weekly() {
		for unit, lost := range w.ActivityLost {
			if got := v.Weekly[i].Lost[unit]; math.Abs(got-lost) > 1e-9*max(1, lost) || lost <= 0 && i == 0 {
				t.Errorf("week %d: the picture loses %v %s, the timeline %v", i+1, got, unit, lost)
			}
		}
	}
	if _, err := v.layout(); err != nil {
		t.Errorf("it does not draw: %v", err)
	}

	// No scenario, no start, a compromised node with no recovery.
	tl, g = synnovisTimeline(t, timeline.Options{Horizon: 30}, "synnovis")
	v = TimelineOf(tl, g)
	if v.Title != "Compromise of synnovis (ransomware)" || !v.Start.IsZero() {
		t.Errorf("title %q, start %v", v.Title, v.Start)
	}
	if want := "Not every node is back within 30 days; synnovis has no recovery in the model and stays down"; v.Subtitle != want {
		t.Errorf("subtitle %q, want %q", v.Subtitle, want)
	}
}

// TestTimelineDaysWidth: a narrower width for the days draws a narrower
// picture with the same rows.
func TestTimelineDaysWidth(t *testing.T) {
	tl, g := synnovisTimeline(t, timeline.Options{Scenario: "Qilin ransomware, June 2024"}, "synnovis-access")
	wide := TimelineOf(tl, g)
	narrow := TimelineOf(tl, g)
	narrow.DaysWidth = 480
	a, err := wide.layout()
	if err != nil {
		t.Fatal(err)
	}
	b, err := narrow.layout()
	if err != nil {
		t.Fatal(err)
	}
	if !(b.w < a.w-400) {
		t.Errorf("480 px of days: %v wide; default: %v", b.w, a.w)
	}
	p := parseTimeline(t, svgOf(t, narrow))
	if len(p.rows) != len(narrow.Rows) {
		t.Errorf("%d rows drawn for %d", len(p.rows), len(narrow.Rows))
	}
	narrow.DaysWidth = 1
	if c, _ := narrow.layout(); c.w < b.w-300 {
		t.Errorf("a width of 1 is drawn %v wide, below the least", c.w)
	}
}

// TestTimelineNarrowFits: in the narrowest picture (a few days, one
// organisation) every line of text that starts at its left ends inside
// the picture, and a picture of nothing short says so in words.
func TestTimelineNarrowFits(t *testing.T) {
	for _, tl := range []*Timeline{
		{Title: "One", Days: 10, Rows: []TimelineRow{{ID: "a", Name: "Wirral University Teaching Hospital NHS Foundation Trust", Capacity: []float64{0, 0, 0, 0.5}}}},
		{Title: "Nothing", Days: 1},
	} {
		L, err := tl.layout()
		if err != nil {
			t.Fatal(err)
		}
		var m measurer
		for _, k := range L.marks {
			if k.kind == textMark && k.anchor == -1 {
				if end := k.x + m.width(k.text, k.size, k.bold); end > L.w {
					t.Errorf("%s: %q ends at %.0f, beyond the picture's %.0f", tl.Title, k.text, end, L.w)
				}
			}
		}
	}
	p := parseTimeline(t, svgOf(t, &Timeline{Title: "Nothing", Days: 1}))
	if got := p.texts["period"]; len(got) != 1 || got[0] != "No organisation loses capacity over 1 day from the attack." {
		t.Errorf("period %q", got)
	}
}
