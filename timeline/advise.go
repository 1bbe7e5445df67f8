package timeline

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// Advice is one change to capacity, tried alone on the timeline, and what
// it saves against the timeline without it.
type Advice struct {
	Change model.Change `json:"-"`
	// Words says the change; Text is the explorer's what-if text for it.
	Words string `json:"change"`
	Text  string `json:"what_if"`
	// ActivitySaved is, by unit, the activity the change saves over the
	// timeline; ActivitySavedTotal adds the units up, the first key of the
	// ranking.
	ActivitySaved      map[string]float64 `json:"activity_saved"`
	ActivitySavedTotal float64            `json:"activity_saved_total"`
	ServiceDaysSaved   float64            `json:"service_days_saved"`
	// StrainedDaysSaved is the organisation-days strained it saves (less
	// than 0: it strains more), the second key.
	StrainedDaysSaved int `json:"strained_days_saved"`
}

// Advised ranks changes to capacity by what they save over a timeline.
type Advised struct {
	Model    string     `json:"model"`
	Scenario string     `json:"scenario,omitempty"`
	Seeds    []string   `json:"seeds"`
	Mode     model.Mode `json:"mode"`
	// ActivityLost and StrainedDays are the timeline's without any change.
	ActivityLost map[string]float64 `json:"activity_lost"`
	StrainedDays int                `json:"strained_days"`
	// Tried counts the candidates; Advice are those that save activity,
	// service-days or strained days, best first.
	Tried  int      `json:"tried"`
	Advice []Advice `json:"advice"`
}

// Candidates are the changes to capacity that Advise tries on a
// timeline: each helper of the model (the provider of an aid link) as a
// new aid link, on the terms of its first link in file order, to every
// organisation the timeline finds short that needs a provider of the
// helper's kind that is short and has no aid link from that helper yet;
// and each stock the timeline draws on with twice the days held. They
// are in a fixed order: aid links by helper and consumer, then stocks by
// id.
func Candidates(g *graph.Graph, tl *Timeline) []model.Change {
	m := g.Model()
	short := map[string]bool{}
	for _, n := range tl.Nodes {
		short[n.ID] = true
	}
	type helper struct {
		node *model.Node
		aid  *model.Aid
	}
	helpers := map[string]helper{}
	linked := map[[2]string]bool{} // consumer, helper
	for _, d := range m.Dependencies {
		if d.Aid == nil {
			continue
		}
		linked[[2]string{d.From, d.To}] = true
		if _, ok := helpers[d.To]; !ok {
			if n, ok := g.Lookup(d.To); ok {
				helpers[d.To] = helper{n, d.Aid}
			}
		}
	}
	var out []model.Change
	for _, hid := range slices.Sorted(maps.Keys(helpers)) {
		h := helpers[hid]
		var consumers []string
		for _, d := range m.Dependencies {
			if d.Aid != nil || d.Type != model.Service || !short[d.From] || !short[d.To] || d.From == hid || linked[[2]string{d.From, hid}] || h.node.Operator == d.From {
				continue
			}
			c, ok1 := g.Lookup(d.From)
			p, ok2 := g.Lookup(d.To)
			if !ok1 || !ok2 || c.Class != model.ClassOrganisation || p.Kind != h.node.Kind || slices.Contains(consumers, d.From) {
				continue
			}
			consumers = append(consumers, d.From)
		}
		slices.Sort(consumers)
		for _, c := range consumers {
			a := *h.aid
			a.Pos = model.Pos{}
			out = append(out, model.Change{Kind: model.AddAid, From: c, To: hid, Type: model.Service, Aid: &a})
		}
	}
	for _, s := range tl.Stocks {
		out = append(out, model.Change{Kind: model.SetStock, ID: s.ID, Stock: &model.Stock{Days: 2 * s.Days, Alert: -1}})
	}
	return out
}

// Advise tries each of Candidates alone, on the timeline of compromising
// the seeds with opt, and ranks those that save something: by the
// activity saved added up over its units, then the organisation-days
// strained it saves, then the service-days saved, then its words.
// text writes a change as the explorer's what-if text.
func Advise(g *graph.Graph, seeds []string, opt Options, text func(model.Change) string) (*Advised, error) {
	opt.Crews = 0
	base, err := Compute(g, seeds, opt)
	if err != nil {
		return nil, err
	}
	out := &Advised{Model: base.Model, Scenario: opt.Scenario, Seeds: base.Seeds, Mode: base.Mode,
		ActivityLost: base.Totals.ActivityLost, StrainedDays: strainedDays(base), Advice: []Advice{}}
	cands := Candidates(g, base)
	out.Tried = len(cands)
	for _, c := range cands {
		a, err := Try(g, base, seeds, opt, c)
		if err != nil {
			return nil, err
		}
		if text != nil {
			a.Text = text(c)
		}
		if a.ActivitySavedTotal > 1e-9 || a.StrainedDaysSaved > 0 || a.ServiceDaysSaved > 1e-9 {
			out.Advice = append(out.Advice, a)
		}
	}
	slices.SortStableFunc(out.Advice, func(a, b Advice) int {
		return cmp.Or(cmp.Compare(b.ActivitySavedTotal, a.ActivitySavedTotal), cmp.Compare(b.StrainedDaysSaved, a.StrainedDaysSaved),
			cmp.Compare(b.ServiceDaysSaved, a.ServiceDaysSaved), strings.Compare(a.Words, b.Words))
	})
	return out, nil
}

// Try measures one change against the base timeline: the timeline of the
// model with the change made, from a graph built anew.
func Try(g *graph.Graph, base *Timeline, seeds []string, opt Options, c model.Change) (Advice, error) {
	cg, err := graph.Build(g.Model().Apply([]model.Change{c}))
	if err != nil {
		return Advice{}, fmt.Errorf("%s: %w", c, err)
	}
	tl, err := Compute(cg, seeds, opt)
	if err != nil {
		return Advice{}, fmt.Errorf("%s: %w", c, err)
	}
	a := Advice{Change: c, Words: c.String(), ActivitySaved: map[string]float64{},
		ServiceDaysSaved:  base.Totals.ServiceDaysLost - tl.Totals.ServiceDaysLost,
		StrainedDaysSaved: strainedDays(base) - strainedDays(tl)}
	units := slices.Sorted(maps.Keys(base.Totals.ActivityLost))
	for u := range tl.Totals.ActivityLost {
		if _, ok := base.Totals.ActivityLost[u]; !ok {
			units = append(units, u) // a helper's shed costs work the base timeline did not lose
		}
	}
	slices.Sort(units)
	for _, u := range units {
		saved := base.Totals.ActivityLost[u] - tl.Totals.ActivityLost[u]
		a.ActivitySaved[u] = saved
		a.ActivitySavedTotal += saved
	}
	return a, nil
}

// strainedDays adds up the days each organisation is strained.
func strainedDays(tl *Timeline) int {
	n := 0
	for _, s := range tl.Strained {
		if s.Class == model.ClassOrganisation {
			n += s.Days
		}
	}
	return n
}
