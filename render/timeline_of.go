package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/model"
	"github.com/blastradius/blastradius/timeline"
)

// TimelineOf is the strip chart of a computed timeline, as the render
// command, the report and the explorer all draw it: a row for each
// organisation short on some day, named as the model names it and grouped
// by the name of its ICB (g is the graph the timeline ran on); what each
// week loses in the model's units of activity, or in service-days where
// the model gives none; the days each organisation is strained, a row at
// full for one strained but never short, and the shared stocks' levels;
// the scenario's name as the title, or the seeds,
// and the mode, the seeds and the day all is back under it; dates on the
// axis when the timeline has a start.
func TimelineOf(tl *timeline.Timeline, g *graph.Graph) *Timeline {
	t := &Timeline{Title: tl.Scenario, Days: tl.Horizon, Rows: []TimelineRow{}}
	seeds := strings.Join(tl.Seeds, ", ")
	what := fmt.Sprintf("%s compromise of %s", tl.Mode, seeds)
	if t.Title == "" {
		t.Title = fmt.Sprintf("Compromise of %s (%s)", seeds, tl.Mode)
		what = ""
	}
	if tl.Start != "" {
		t.Start, _ = time.Parse(time.DateOnly, tl.Start) // Compute has checked it
	}
	var parts []string
	if what != "" {
		parts = append(parts, strings.ToUpper(what[:1])+what[1:])
	}
	switch b := tl.Totals.Back; {
	case len(tl.Nodes) == 0:
		parts = append(parts, "nothing is short")
	case b == nil:
		parts = append(parts, fmt.Sprintf("not every node is back within %s", english.Plural(tl.Horizon, "day")))
	case t.Start.IsZero():
		parts = append(parts, fmt.Sprintf("every node back on day %d", *b))
	default:
		parts = append(parts, "every node back on "+t.dayLabel(*b, true))
	}
	switch n := len(tl.NoRecovery); {
	case n == 1:
		parts = append(parts, tl.NoRecovery[0]+" has no recovery in the model and stays down")
	case n > 1:
		parts = append(parts, fmt.Sprintf("%d compromised nodes have no recovery in the model and stay down", n))
	}
	t.Subtitle = strings.Join(parts, "; ")
	if what == "" {
		t.Subtitle = strings.ToUpper(t.Subtitle[:1]) + t.Subtitle[1:]
	}
	strained := map[string]*TimelineStrain{}
	for _, s := range tl.Strained {
		ts := &TimelineStrain{From: s.From, Days: s.Days}
		if s.Until != nil {
			ts.Until = *s.Until
		}
		for _, id := range s.By {
			name := id
			if nd, ok := g.Lookup(id); ok && nd.Name != "" {
				name = nd.Name
			}
			ts.By = append(ts.By, name)
		}
		strained[s.ID] = ts
	}
	short := map[string]bool{}
	for _, n := range tl.Nodes {
		if n.Class != model.ClassOrganisation {
			continue
		}
		short[n.ID] = true
		t.Rows = append(t.Rows, TimelineRow{ID: n.ID, Name: n.Name, Group: icbName(g, n), Capacity: n.Capacity, Strain: strained[n.ID]})
	}
	// An organisation strained but never short has a row at full.
	for _, s := range tl.Strained {
		if s.Class != model.ClassOrganisation || short[s.ID] {
			continue
		}
		n := &timeline.Node{ID: s.ID, Kind: s.Kind, ICB: s.ICB}
		t.Rows = append(t.Rows, TimelineRow{ID: s.ID, Name: s.Name, Group: icbName(g, n), Strain: strained[s.ID]})
	}
	for _, s := range tl.Stocks {
		t.Stocks = append(t.Stocks, TimelineStock{ID: s.ID, Name: s.Name, Full: s.Days, Alert: s.Alert, Level: s.Level})
	}
	if units := tl.Units(); len(units) > 0 {
		t.Units = units
		weeks := tl.Weeks
		if weeks == nil {
			weeks = tl.Weekly()
		}
		for _, w := range weeks {
			lost := map[string]float64{}
			for u, x := range w.ActivityLost {
				lost[u] = x
			}
			t.Weekly = append(t.Weekly, TimelineWeek{Week: w.Week, Lost: lost})
		}
	}
	return t
}

// icbName is the name of the ICB an organisation belongs to (an ICB
// belongs to itself), its id if the model does not name it, or "".
func icbName(g *graph.Graph, n *timeline.Node) string {
	id := n.ICB
	if id == "" && n.Kind == "icb" {
		id = n.ID
	}
	if id == "" {
		return ""
	}
	if nd, ok := g.Lookup(id); ok && nd.Name != "" {
		return nd.Name
	}
	return id
}

// HasTimeData reports whether a model says how any node comes back: a
// recovery or a restore schedule on some node. Without one, a timeline
// only says that the compromised nodes stay down.
func HasTimeData(m *model.Model) bool {
	for _, n := range m.Nodes() {
		if n.Recovery != nil || len(n.Restore) > 0 {
			return true
		}
	}
	return false
}
