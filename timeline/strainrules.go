package timeline

import (
	"fmt"
	"slices"
	"strings"

	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/model"
)

// The second-order rules: what a scenario's timeline strains, and when a
// stock crosses its alert.

// hasStrain reports whether the model has an aid link or a stock: only
// then can a timeline strain anything.
func hasStrain(m *model.Model) bool {
	for _, d := range m.Dependencies {
		if d.Aid != nil {
			return true
		}
	}
	for _, s := range m.Services {
		if s.Stock != nil {
			return true
		}
	}
	return false
}

// strainedByID indexes the timeline's strained nodes.
func (tl *Timeline) strainedByID() map[string]*Strain {
	out := make(map[string]*Strain, len(tl.Strained))
	for _, s := range tl.Strained {
		out[s.ID] = s
	}
	return out
}

// defined is the line that defines a node, for a related location.
func (tl *Timeline) defined(id, msg string) []Place {
	if nd, ok := tl.g.Lookup(id); ok {
		return []Place{{File: nd.Pos.File, Pos: nd.Pos, Msg: msg}}
	}
	return nil
}

// strainDays says when a node is strained: "for 6 days, day 3 to day 8".
func strainDays(s *Strain) string {
	if s.Until == nil {
		return fmt.Sprintf("from day %d to the horizon", s.From)
	}
	return fmt.Sprintf("for %s, day %d to day %d", english.Plural(s.Days, "day"), s.From, *s.Until-1)
}

// causes are the definitions of the helpers and stocks that strain s.
func (tl *Timeline) causes(s *Strain) []Place {
	var out []Place
	for _, by := range s.By {
		what := "the helper %q"
		if nd, ok := tl.g.Lookup(by); ok && nd.Stock != nil {
			what = "the stock %q"
		}
		out = append(out, tl.defined(by, fmt.Sprintf(what, by))...)
	}
	return out
}

// Strains checks a scenario's expect.strains: a finding, at the id's
// entry, for every node its timeline never strains.
func Strains(tl *Timeline, s *model.Scenario) []Finding {
	if s == nil || s.Expect == nil {
		return nil
	}
	strained := tl.strainedByID()
	var out []Finding
	for _, r := range s.Expect.Strains {
		if strained[r.Value] != nil {
			continue
		}
		out = append(out, Finding{Rule: model.RuleExpectStrains, ID: r.Value, File: s.Pos.File, Pos: r.Pos,
			Msg:     fmt.Sprintf("scenario %q was expected to strain %q, but its timeline never does", s.Name, r.Value),
			Related: append(tl.defined(r.Value, fmt.Sprintf("%q is defined here", r.Value)), tl.strainLinks(r.Value)...)})
	}
	return out
}

// NotStrained checks the other half of a scenario's expect.spares in a
// model with aid or stocks: a finding of expect_spares, at the id's
// entry, for every node its timeline strains, with the helpers and stocks
// that strain it as related lines. A node that affected reports is left
// out: the worst case's own check of spares has a finding for it.
func NotStrained(tl *Timeline, s *model.Scenario, affected func(string) bool) []Finding {
	if s == nil || s.Expect == nil {
		return nil
	}
	strained := tl.strainedByID()
	var out []Finding
	for _, r := range s.Expect.Spares {
		st := strained[r.Value]
		if st == nil || affected(r.Value) {
			continue
		}
		out = append(out, Finding{Rule: model.RuleExpectSpares, ID: r.Value, File: s.Pos.File, Pos: r.Pos,
			Msg:     fmt.Sprintf("scenario %q was expected to spare %q, but its timeline strains it %s (by %s)", s.Name, r.Value, strainDays(st), strings.Join(st.By, ", ")),
			Related: tl.causes(st)})
	}
	return out
}

// StockAlertAfter checks a scenario's expect.stock_alert_after: a
// finding, at the stock's limit, for every stock whose level crosses its
// alert before that many days from the attack.
func StockAlertAfter(tl *Timeline, s *model.Scenario) []Finding {
	if s == nil || s.Expect == nil {
		return nil
	}
	levels := map[string]*StockLevel{}
	for _, l := range tl.Stocks {
		levels[l.ID] = l
	}
	var out []Finding
	for _, lim := range s.Expect.StockAlertAfter {
		id := lim.ID.Value
		l := levels[id]
		if l == nil || l.AlertDay == nil || float64(*l.AlertDay) >= lim.Days {
			continue
		}
		day := fmt.Sprintf("day %d", *l.AlertDay)
		if l.AlertDate != "" {
			day += " (" + l.AlertDate + ")"
		}
		f := Finding{Rule: model.RuleExpectStockAlertAfter, ID: id, File: s.Pos.File, Pos: lim.Pos,
			Msg: fmt.Sprintf("the stock %q falls below its alert of %v days on %s, level %.2g; the scenario allows it no earlier than day %v", id, l.Alert, day, l.Level[*l.AlertDay], lim.Days)}
		if nd, ok := tl.g.Lookup(id); ok {
			f.Related = []Place{{File: nd.Pos.File, Pos: nd.At("stock"), Msg: fmt.Sprintf("the stock held by %q and its alert", id)}}
		}
		out = append(out, f)
	}
	return out
}

// maxNamed is how many organisations a finding of MaxStrained names.
const maxNamed = 8

// MaxStrained checks the policy max_strained on a scenario's timeline: a
// finding, at the policy's line, if the timeline strains more
// organisations on some day than the policy allows, with the scenario and
// the helpers and stocks that strain them as related lines.
func MaxStrained(tl *Timeline, s *model.Scenario, pol *model.Policies) []Finding {
	if pol == nil || pol.MaxStrained == nil || tl.Totals.Strained <= *pol.MaxStrained {
		return nil
	}
	var names []string
	related := []Place{{File: s.Pos.File, Pos: s.At("name"), Msg: fmt.Sprintf("the scenario %q", s.Name)}}
	seen := map[string]bool{}
	for _, st := range tl.Strained {
		if st.Class != model.ClassOrganisation {
			continue
		}
		names = append(names, fmt.Sprintf("%s from day %d", st.ID, st.From))
		for _, by := range st.By {
			if !seen[by] {
				seen[by] = true
				related = append(related, tl.causes(&Strain{By: []string{by}})...)
			}
		}
	}
	list := names
	if len(list) > maxNamed {
		list = append(list[:maxNamed:maxNamed], fmt.Sprintf("%d more", len(names)-maxNamed))
	}
	return []Finding{{Rule: model.RuleMaxStrained, File: pol.Pos.File, Pos: pol.At("max_strained"),
		Msg: fmt.Sprintf("scenario %q strains %s, more than the policy's %s: %s", s.Name, english.Plural(tl.Totals.Strained, "organisation"),
			english.Commas(*pol.MaxStrained), english.And(list)),
		Related: related}}
}

// strainLinks are the lines through which a node could be strained, for
// a finding that it is not: the aid links it gives or receives, its
// surges, and the dependencies of it and of its operator that carry an
// outage, for a helper that is itself short helps nobody.
func (tl *Timeline) strainLinks(id string) []Place {
	m := tl.g.Model()
	self := []string{id}
	if nd, ok := tl.g.Lookup(id); ok && nd.Operator != "" {
		self = append(self, nd.Operator)
	}
	var out []Place
	for _, d := range m.Dependencies {
		var msg string
		switch {
		case d.Aid != nil && (d.To == id || d.From == id):
			msg = fmt.Sprintf("the aid of %q to %q", d.To, d.From)
		case d.Surge != nil && d.From == id:
			msg = fmt.Sprintf("the surge of %q on %q", d.From, d.To)
		case d.Aid == nil && slices.Contains(self, d.From) && d.Type.Info() != nil && d.Type.Info().Carries.Has(model.Outage):
			msg = fmt.Sprintf("the dependency of %q on %q", d.From, d.To)
		default:
			continue
		}
		out = append(out, Place{File: d.Pos.File, Pos: d.Pos, Msg: msg})
	}
	return out
}
