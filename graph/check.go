package graph

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/blastradius/blastradius/model"
)

// Severity of a finding of Check.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Rules that findings carry, beyond model.Rules (which exceptions may name).
const (
	RuleExpiredException = "expired_exception"
	RuleUnusedException  = "unused_exception"
)

// RuleInfo describes a rule, for reports that list them (SARIF).
type RuleInfo struct {
	ID, Name, Description string
	Severity              Severity
}

// CheckRules lists every rule Check applies.
var CheckRules = []RuleInfo{
	{"expect_reaches", "ExpectReaches", "A scenario must affect each node it lists under expect.reaches.", SeverityError},
	{"expect_spares", "ExpectSpares", "A scenario must leave each node it lists under expect.spares unaffected.", SeverityError},
	{"expect_max_organisations", "ExpectMaxOrganisations", "A scenario may affect no more organisations than expect.max_organisations.", SeverityError},
	{"max_organisations", "MaxOrganisations", "No single compromised node may affect more organisations than policies.max_organisations.", SeverityError},
	{"require_controls", "RequireControls", "Every node of a kind named in policies.require_controls needs the controls listed.", SeverityError},
	{"critical_needs_alternative", "CriticalNeedsAlternative", "A critical service dependency on a service of a kind named in policies.critical_needs_alternative needs an alternative.", SeverityError},
	{RuleExpiredException, "ExpiredException", "An exception whose until date has passed waives nothing and must be renewed or removed.", SeverityError},
	{RuleUnusedException, "UnusedException", "An exception that waives no finding should be removed.", SeverityWarning},
}

// Finding is one broken expectation or policy, at the place in the model
// that caused it.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	ID       string   `json:"id,omitempty"`       // the node it concerns
	Related  string   `json:"related,omitempty"`  // a second node: the provider of a dependency
	Scenario string   `json:"scenario,omitempty"` // the scenario it comes from
	Check    string   `json:"check"`              // the check it belongs to
	Waiver   *Waiver  `json:"waived,omitempty"`   // the exception that waives it
}

// Waiver is the exception that waives a finding.
type Waiver struct {
	Reason string `json:"reason"`
	Until  string `json:"until"`
	Line   int    `json:"line"`
}

// CheckResult is one check: a scenario expectation or a policy. It passes
// if it has no finding that is not waived.
type CheckResult struct {
	Name     string    `json:"name"`
	Group    string    `json:"group"` // the scenario, or "policies"
	Findings []Finding `json:"findings"`
}

// Passed reports whether the check has no unwaived finding.
func (c CheckResult) Passed() bool {
	for _, f := range c.Findings {
		if f.Waiver == nil && f.Severity == SeverityError {
			return false
		}
	}
	return true
}

// Report is what Check found.
type Report struct {
	Model    string        `json:"model"`
	File     string        `json:"file"`
	Today    string        `json:"today"`
	Checks   []CheckResult `json:"checks"`
	Findings []Finding     `json:"findings"` // every finding, waived ones included, in file order
}

// Count returns the number of unwaived findings at or above a severity.
func (r *Report) Count(min Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Waiver == nil && (f.Severity == SeverityError || min == SeverityWarning) {
			n++
		}
	}
	return n
}

// Check runs every scenario expectation and policy of the model. today is
// the date exceptions are measured against, as YYYY-MM-DD.
func Check(m *model.Model, today string) (*Report, error) {
	g, err := Build(m)
	if err != nil {
		return nil, err
	}
	r := &Report{Model: m.Name, File: m.File, Today: today}
	for _, s := range m.Scenarios {
		if err := g.checkScenario(r, s); err != nil {
			return nil, err
		}
	}
	if p := m.Policies; p != nil {
		if err := g.checkPolicies(r, p); err != nil {
			return nil, err
		}
		applyExceptions(r, p, today)
	}
	for _, c := range r.Checks {
		r.Findings = append(r.Findings, c.Findings...)
	}
	slices.SortStableFunc(r.Findings, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	return r, nil
}

func finding(rule, file string, pos model.Pos, format string, args ...any) Finding {
	sev := SeverityError
	for _, ri := range CheckRules {
		if ri.ID == rule {
			sev = ri.Severity
		}
	}
	return Finding{Rule: rule, Severity: sev, Message: fmt.Sprintf(format, args...), File: file, Line: pos.Line, Column: pos.Column}
}

func (g *Graph) checkScenario(r *Report, s *model.Scenario) error {
	if s.Expect == nil {
		return nil
	}
	sg := g
	if !s.Assume.Empty() {
		var err error
		if sg, err = Build(g.model.Apply(s.Assume)); err != nil {
			return err
		}
	}
	im, err := sg.Reach(s.Seeds(), s.Mode)
	if err != nil {
		return fmt.Errorf("scenario %q: %w", s.Name, err)
	}
	x := s.Expect
	add := func(name string, fs []Finding) {
		for i := range fs {
			fs[i].Scenario, fs[i].Check = s.Name, s.Name+": "+name
		}
		r.Checks = append(r.Checks, CheckResult{Name: name, Group: s.Name, Findings: nonNil(fs)})
	}
	if len(x.Reaches) > 0 {
		var fs []Finding
		for _, ref := range x.Reaches {
			if im.Of(ref.Value) == nil {
				f := finding("expect_reaches", s.File, ref.Pos, "scenario %q was expected to reach %q, but leaves it unaffected", s.Name, ref.Value)
				f.ID = ref.Value
				fs = append(fs, f)
			}
		}
		add("reaches "+strings.Join(refValues(x.Reaches), ", "), fs)
	}
	if len(x.Spares) > 0 {
		var fs []Finding
		for _, ref := range x.Spares {
			if a := im.Of(ref.Value); a != nil {
				f := finding("expect_spares", s.File, ref.Pos, "scenario %q was expected to spare %q, but it is %s (%s)", s.Name, ref.Value, a.Impact, strings.Join(a.Path, " → "))
				f.ID = ref.Value
				fs = append(fs, f)
			}
		}
		add("spares "+strings.Join(refValues(x.Spares), ", "), fs)
	}
	if x.MaxOrganisations != nil {
		var fs []Finding
		if n := im.Summary.Organisations; n > *x.MaxOrganisations {
			fs = append(fs, finding("expect_max_organisations", s.File, x.At("max_organisations"), "scenario %q affects %d organisations, more than its limit of %d", s.Name, n, *x.MaxOrganisations))
		}
		add(fmt.Sprintf("affects at most %d organisations", *x.MaxOrganisations), fs)
	}
	return nil
}

func refValues(refs []model.Ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Value
	}
	return out
}

func nonNil(fs []Finding) []Finding {
	if fs == nil {
		return []Finding{}
	}
	return fs
}

func (g *Graph) checkPolicies(r *Report, p *model.Policies) error {
	m := g.model
	add := func(name string, fs []Finding) {
		for i := range fs {
			fs[i].Check = "policies: " + name
		}
		r.Checks = append(r.Checks, CheckResult{Name: name, Group: "policies", Findings: nonNil(fs)})
	}
	if p.MaxOrganisations != nil {
		limit := *p.MaxOrganisations
		rk, err := g.Rank(model.Ransomware, RankOptions{})
		if err != nil {
			return err
		}
		var fs []Finding
		for _, e := range rk.Ranking {
			if e.Organisations <= limit {
				break // ranked largest first
			}
			n, _ := g.Lookup(e.ID)
			f := finding("max_organisations", m.File, n.Pos, "a compromise of %q affects %d organisations, more than the policy's %d", e.ID, e.Organisations, limit)
			f.ID = e.ID
			fs = append(fs, f)
		}
		add(fmt.Sprintf("no single compromise affects more than %d organisations", limit), fs)
	}
	for _, rc := range p.RequireControls {
		var fs []Finding
		for _, n := range g.nodes {
			if n.Kind != rc.Kind.Value {
				continue
			}
			var missing []string
			for _, c := range rc.Controls {
				if !n.Has(c.Value) {
					missing = append(missing, c.Value)
				}
			}
			if len(missing) > 0 {
				f := finding("require_controls", m.File, n.At("controls"), "%s %q lacks %s, which policy requires of every %s", n.Class, n.ID, strings.Join(missing, " and "), rc.Kind.Value)
				f.ID = n.ID
				fs = append(fs, f)
			}
		}
		add(fmt.Sprintf("every %s has %s", rc.Kind.Value, strings.Join(refValues(rc.Controls), ", ")), fs)
	}
	if len(p.CriticalNeedsAlternative) > 0 {
		kinds := refValues(p.CriticalNeedsAlternative)
		var fs []Finding
		for _, d := range m.Dependencies {
			if !d.Type.HasAlternatives() || !d.Critical || len(d.Alternatives) > 0 {
				continue
			}
			to, ok := g.Lookup(d.To)
			if !ok || to.Class != model.ClassService || !containsString(kinds, to.Kind) {
				continue
			}
			f := finding("critical_needs_alternative", m.File, d.Pos, "%q depends critically on the %s service %q with no alternative", d.From, to.Kind, d.To)
			f.ID, f.Related = d.From, d.To
			fs = append(fs, f)
		}
		add("critical dependencies on "+strings.Join(kinds, ", ")+" have an alternative", fs)
	}
	return nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// applyExceptions marks findings that an exception in force waives, and
// reports exceptions that have expired or waive nothing.
func applyExceptions(r *Report, p *model.Policies, today string) {
	var extra []Finding
	for _, x := range p.Exceptions {
		expired := x.Until < today // YYYY-MM-DD compares as text
		used := false
		for ci := range r.Checks {
			c := &r.Checks[ci]
			for fi := range c.Findings {
				f := &c.Findings[fi]
				if f.Rule != x.Rule || (x.ID != "" && f.ID != x.ID && f.Related != x.ID) {
					continue
				}
				used = true
				if !expired && f.Waiver == nil {
					f.Waiver = &Waiver{Reason: x.Reason, Until: x.Until, Line: x.Pos.Line}
				}
			}
		}
		who := x.Rule
		if x.ID != "" {
			who += " for " + fmt.Sprintf("%q", x.ID)
		}
		switch {
		case expired:
			f := finding(RuleExpiredException, p.File, x.At("until"), "the exception to %s expired on %s", who, x.Until)
			f.ID, f.Check = x.ID, "policies: exceptions are in date"
			extra = append(extra, f)
		case !used:
			f := finding(RuleUnusedException, p.File, x.Pos, "the exception to %s waives no finding", who)
			f.ID, f.Check = x.ID, "policies: exceptions are in date"
			extra = append(extra, f)
		}
	}
	if len(p.Exceptions) > 0 {
		r.Checks = append(r.Checks, CheckResult{Name: "exceptions are in date and in use", Group: "policies", Findings: nonNil(extra)})
	}
}
