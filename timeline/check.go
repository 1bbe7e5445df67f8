package timeline

import (
	"fmt"
	"math"

	"github.com/blastradius/blastradius/model"
)

// Finding is an expectation or a policy about time that does not hold,
// at the line that causes it, with the lines that explain it.
type Finding struct {
	// Rule is model.RuleExpectMaxOutageDays,
	// model.RuleRecoveryWithinTolerance, or one of the second-order rules
	// (model.RuleMaxStrained, RuleExpectStrains, RuleExpectStockAlertAfter,
	// and RuleExpectSpares for a spared node that is strained).
	Rule string
	ID   string // the node it is about
	// Provider is the provider of the dependency it is about, if it is.
	Provider string
	Msg      string
	File     string
	Pos      model.Pos
	// Related are the other lines involved, with their files.
	Related []Place
}

// Place is a line of a file.
type Place struct {
	File string
	Pos  model.Pos
	Msg  string
}

// MaxOutage checks a scenario's max_outage_days against its timeline:
// a finding, at the limit's line, for every node below half capacity on
// more days than the limit allows.
func MaxOutage(tl *Timeline, s *model.Scenario) []Finding {
	if s == nil || s.Expect == nil {
		return nil
	}
	var out []Finding
	for _, lim := range s.Expect.MaxOutageDays {
		id := lim.ID.Value
		days := 0
		if n := tl.Of(id); n != nil {
			days = n.DaysBelowHalf
		}
		if float64(days) <= lim.Days {
			continue
		}
		f := Finding{Rule: model.RuleExpectMaxOutageDays, ID: id, File: s.Pos.File, Pos: lim.Pos,
			Msg: fmt.Sprintf("%q is below half capacity for %d days; the scenario allows at most %v", id, days, lim.Days)}
		if nd, ok := tl.g.Lookup(id); ok {
			f.Related = append(f.Related, Place{File: nd.Pos.File, Pos: nd.Pos, Msg: fmt.Sprintf("%q is defined here", id)})
		}
		out = append(out, f)
	}
	return out
}

// RecoveryWithinTolerance checks the policy that every critical provider
// of an organisation that gives a tolerance is back, plus the
// dependency's buffer, within that tolerance: the provider's likely
// recovery (or the first day its restore schedule reaches capacity 1),
// plus the days the organisation carries on before it feels the loss and
// so is back after the provider, counted from the attack.
// Critical dependencies are those that carry an outage, are critical
// (operator and hosting links always are) and have no alternative. This
// is the comparison of business-continuity planning, a provider's
// recovery time against the consumer's maximum tolerable period of
// disruption, whatever share of the consumer's work the provider carries:
// the timeline, and max_outage_days, say how far the consumer falls. A
// finding is at the dependency's line, with the provider's recovery and
// the consumer's tolerance as related lines.
func RecoveryWithinTolerance(m *model.Model) []Finding {
	nodes := map[string]*model.Node{}
	for _, n := range m.Nodes() {
		nodes[n.ID] = n
	}
	var out []Finding
	for _, d := range m.Dependencies {
		info := d.Type.Info()
		if info == nil || !info.Carries.Has(model.Outage) || len(d.Alternatives) > 0 || (info.Critical && !d.Critical) {
			continue
		}
		c, p := nodes[d.From], nodes[d.To]
		if c == nil || p == nil || c.Tolerance == nil {
			continue
		}
		back := dayAt(p, 1)
		if math.IsInf(back, 1) {
			continue // no recovery given: nothing to check
		}
		if back+float64(d.Buffer) <= *c.Tolerance {
			continue
		}
		out = append(out, Finding{Rule: model.RuleRecoveryWithinTolerance, ID: c.ID, Provider: p.ID, File: d.Pos.File, Pos: d.Pos,
			Msg: tooLate(c.ID, p.ID, back, *c.Tolerance, d.Buffer),
			Related: []Place{
				{File: p.Pos.File, Pos: p.At(recoveryKey(p)), Msg: fmt.Sprintf("the recovery of %q", p.ID)},
				{File: c.Pos.File, Pos: c.At("tolerance"), Msg: fmt.Sprintf("the tolerance of %q", c.ID)},
			}})
	}
	return out
}

// tooLate is the message of a finding of RecoveryWithinTolerance.
func tooLate(c, p string, back, tolerance float64, buffer int) string {
	if buffer > 0 {
		return fmt.Sprintf("%q needs %q, which is back after %v days, and %q after its buffer of %d more: beyond its tolerance of %v days", c, p, back, c, buffer, tolerance)
	}
	return fmt.Sprintf("%q needs %q, which is back after %v days: beyond its tolerance of %v days", c, p, back, tolerance)
}

func recoveryKey(n *model.Node) string {
	if len(n.Restore) > 0 {
		return "restore"
	}
	return "recovery"
}

// dayAt is the first day the node's own curve reaches level, or +Inf
// without a recovery.
func dayAt(n *model.Node, level float64) float64 {
	c := curveOf(n)
	if !c.given {
		return math.Inf(1)
	}
	if len(c.points) == 0 {
		return math.Max(0, c.days)
	}
	for t := 0; float64(t) <= c.full(); t++ {
		if c.at(t) >= level {
			return float64(t)
		}
	}
	return c.full()
}
