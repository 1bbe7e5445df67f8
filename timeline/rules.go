package timeline

import (
	"fmt"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// Checks applies the timeline's rules for "check" and "diff", as a
// graph.CheckFunc: every scenario's expect.max_outage_days, on the
// scenario's own timeline (with its assumptions), and the policy
// recovery_within_tolerance. Package graph cannot apply them itself, for
// the timeline is built on it; Check adds these checks before it applies
// exceptions, so exceptions waive their findings as any other.
func Checks(g *graph.Graph) ([]graph.CheckResult, error) {
	m := g.Model()
	var out []graph.CheckResult
	for _, s := range m.Scenarios {
		if s.Expect == nil || len(s.Expect.MaxOutageDays) == 0 {
			continue
		}
		sg := g
		if !s.Assume.Empty() {
			var err error
			if sg, err = graph.Build(m.Apply(s.Assume.Changes())); err != nil {
				return nil, err
			}
		}
		tl, err := Compute(sg, s.Seeds(), Options{Mode: s.Mode, Scenario: s.Name})
		if err != nil {
			return nil, fmt.Errorf("scenario %q: %w", s.Name, err)
		}
		var limits []string
		for _, l := range s.Expect.MaxOutageDays {
			limits = append(limits, fmt.Sprintf("%s at most %v", l.ID.Value, l.Days))
		}
		name := "days below half capacity: " + strings.Join(limits, ", ")
		fs := findings(m, MaxOutage(tl, s))
		for i := range fs {
			fs[i].Scenario, fs[i].Check = s.Name, s.Name+": "+name
		}
		out = append(out, graph.CheckResult{Name: name, Group: s.Name, Findings: fs})
	}
	if p := m.Policies; p != nil && p.RecoveryWithinTolerance {
		const name = "critical providers are back within their consumers' tolerance"
		fs := findings(m, RecoveryWithinTolerance(m))
		for i := range fs {
			fs[i].Check = "policies: " + name
		}
		out = append(out, graph.CheckResult{Name: name, Group: "policies", Findings: fs})
	}
	return out, nil
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
