package timeline

import (
	"fmt"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/model"
)

// Checks applies the timeline's rules for "check" and "diff", as a
// graph.CheckFunc: every scenario's expect.max_outage_days, strains,
// stock_alert_after and, in a model with aid or stocks, spares (not
// strained), on the scenario's own timeline (with its assumptions), and
// the policies recovery_within_tolerance and max_strained (on every
// scenario's timeline). Package graph cannot apply them itself, for the
// timeline is built on it; Check adds these checks before it applies
// exceptions, so exceptions waive their findings as any other.
func Checks(g *graph.Graph) ([]graph.CheckResult, error) {
	m := g.Model()
	var out []graph.CheckResult
	pol := m.Policies
	strain := hasStrain(m)
	var policyStrained []graph.Finding
	for _, s := range m.Scenarios {
		x := s.Expect
		needs := pol != nil && pol.MaxStrained != nil
		if x != nil {
			needs = needs || len(x.MaxOutageDays) > 0 || len(x.Strains) > 0 || len(x.StockAlertAfter) > 0 || (strain && len(x.Spares) > 0)
		}
		if !needs {
			continue
		}
		sg := g
		if !s.Assume.Empty() {
			var err error
			if sg, err = graph.Build(m.Apply(s.Assume.Changes())); err != nil {
				return nil, err
			}
		}
		tl, err := Compute(sg, s.Seeds(), Options{Mode: s.Mode, Scenario: s.Name, Start: s.Start})
		if err != nil {
			return nil, fmt.Errorf("scenario %q: %w", s.Name, err)
		}
		add := func(name string, tf []Finding) {
			fs := findings(m, tf)
			for i := range fs {
				fs[i].Scenario, fs[i].Check = s.Name, s.Name+": "+name
			}
			out = append(out, graph.CheckResult{Name: name, Group: s.Name, Findings: fs})
		}
		if x != nil && len(x.MaxOutageDays) > 0 {
			var limits []string
			for _, l := range x.MaxOutageDays {
				limits = append(limits, fmt.Sprintf("%s at most %v", l.ID.Value, l.Days))
			}
			add("days below half capacity: "+strings.Join(limits, ", "), MaxOutage(tl, s))
		}
		if x != nil && len(x.Strains) > 0 {
			add("strains "+strings.Join(refValues(x.Strains), ", "), Strains(tl, s))
		}
		if x != nil && strain && len(x.Spares) > 0 {
			im, err := sg.Reach(s.Seeds(), s.Mode)
			if err != nil {
				return nil, fmt.Errorf("scenario %q: %w", s.Name, err)
			}
			add("strains none of "+strings.Join(refValues(x.Spares), ", "), NotStrained(tl, s, func(id string) bool { return im.Of(id) != nil }))
		}
		if x != nil && len(x.StockAlertAfter) > 0 {
			var limits []string
			for _, l := range x.StockAlertAfter {
				limits = append(limits, fmt.Sprintf("%s not before day %v", l.ID.Value, l.Days))
			}
			add("stocks cross their alert: "+strings.Join(limits, ", "), StockAlertAfter(tl, s))
		}
		if pol != nil && pol.MaxStrained != nil {
			policyStrained = append(policyStrained, findings(m, MaxStrained(tl, s, pol))...)
		}
	}
	if pol != nil && pol.RecoveryWithinTolerance {
		const name = "critical providers are back within their consumers' tolerance"
		fs := findings(m, RecoveryWithinTolerance(m))
		for i := range fs {
			fs[i].Check = "policies: " + name
		}
		out = append(out, graph.CheckResult{Name: name, Group: "policies", Findings: fs})
	}
	if pol != nil && pol.MaxStrained != nil {
		name := fmt.Sprintf("no scenario strains more than %s", english.Plural(*pol.MaxStrained, "organisation"))
		for i := range policyStrained {
			policyStrained[i].Check = "policies: " + name
		}
		out = append(out, graph.CheckResult{Name: name, Group: "policies", Findings: policyStrained})
	}
	return out, nil
}

func refValues(refs []model.Ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Value
	}
	return out
}

// findings turns the timeline's findings into graph's, each related line
// a cause; a position without a file is in the model's root file.
func findings(m *model.Model, tf []Finding) []graph.Finding {
	in := func(file string, pos model.Pos) model.Pos {
		if pos.File == "" {
			pos.File = file
		}
		if pos.File == "" {
			pos.File = m.File
		}
		return pos
	}
	out := []graph.Finding{}
	for _, t := range tf {
		f := graph.NewFinding(t.Rule, in(t.File, t.Pos), t.Msg)
		f.ID, f.Related = t.ID, t.Provider
		for _, r := range t.Related {
			f.Causes = append(f.Causes, graph.Cause{Pos: in(r.File, r.Pos), Message: r.Msg})
		}
		out = append(out, f)
	}
	return out
}
