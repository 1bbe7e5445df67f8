package graph

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/blastradius/blastradius/internal/english"
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

// RuleFailOnIncrease is the rule of a change that grows a blast radius by
// more than diff --fail-on-increase allows (see Delta.Increase).
const RuleFailOnIncrease = "fail_on_increase"

// RuleModel is the rule of a model that does not load: its errors are
// findings too, so that a pipeline reports them where it reports the rest.
const RuleModel = "model"

// RuleInfo describes a rule, for reports that list them (SARIF) and for
// the docs: what it checks, in one line and in full. What to do about a
// finding names commands and their flags, and so is the writers' (package
// output).
type RuleInfo struct {
	ID, Name    string
	Description string // one sentence
	Full        string // what the rule checks and why
	Severity    Severity
}

// CheckRules lists every rule Check applies, those of the CheckFuncs it
// is given included, and RuleModel.
var CheckRules = []RuleInfo{
	{model.RuleExpectReaches, "ExpectReaches", "A scenario must affect each node it lists under expect.reaches.",
		"A scenario's expect.reaches lists nodes that its compromise must reach. A node it leaves unaffected means the model no longer shows a dependency the scenario was written to demonstrate.",
		SeverityError},
	{model.RuleExpectSpares, "ExpectSpares", "A scenario must leave each node it lists under expect.spares unaffected, and, in a model with aid or stocks, not strained.",
		"A scenario's expect.spares lists nodes that its compromise must not reach. A node it reaches means a change has widened the blast radius to a node that was meant to be safe. The finding's related locations are the dependencies on the path that reaches it. In a model with mutual aid or shared stocks, a node that the scenario's timeline strains (it helps a neighbour, or rations a stock below its alert) is not spared either; that finding's related locations are the helpers and stocks that strain it.",
		SeverityError},
	{model.RuleExpectMaxOrganisations, "ExpectMaxOrganisations", "A scenario may affect no more organisations than expect.max_organisations.",
		"A scenario's expect.max_organisations caps how many organisations its compromise may affect. Going over it means a change has widened the blast radius.",
		SeverityError},
	{model.RuleMaxOrganisations, "MaxOrganisations", "No single compromised node may affect more organisations than policies.max_organisations.",
		"The policy policies.max_organisations caps the blast radius of every single node: no one compromise may affect more organisations than the limit.",
		SeverityError},
	{model.RuleMaxExpectedOrganisations, "MaxExpectedOrganisations", "No node's attacks may affect more organisations a year, on average, than policies.max_expected_organisations.",
		"The policy policies.max_expected_organisations caps risk rather than the worst case: for every node, the chance that an attack starts there in a year (its entry likelihood) times the organisations a compromise of it affects on average when each dependency holds with its likelihood, estimated on 1,000 sampled worlds (seed 1) with a 95% interval. A node whose whole interval is above the limit is an error; one whose interval straddles the limit is a warning, inconclusive: the sample cannot tell which side it is on.",
		SeverityError},
	{model.RuleRequireControls, "RequireControls", "Every node of a kind named in policies.require_controls needs the controls listed.",
		"The policy policies.require_controls names kinds of node and the controls every node of that kind must have, such as mfa on every supplier.",
		SeverityError},
	{model.RuleCriticalNeedsAlternative, "CriticalNeedsAlternative", "A critical service dependency on a service of a kind named in policies.critical_needs_alternative needs an alternative.",
		"The policy policies.critical_needs_alternative names kinds of service that no organisation may depend on critically without an alternative: an outage of the service would stop the organisation.",
		SeverityError},
	{model.RuleExpectMaxOutageDays, "ExpectMaxOutageDays", "A scenario may keep each node it lists under expect.max_outage_days below half capacity for no more days than its limit.",
		"A scenario's expect.max_outage_days caps, for each node named, the days its timeline spends below half capacity: the timeline command's days below half, from day 0 until every node is back (at most 365 days). Going over it means the model, as it now stands, recovers more slowly than the scenario was written to show. The finding is on the node's limit, with the node's definition as a related location.",
		SeverityError},
	{model.RuleRecoveryWithinTolerance, "RecoveryWithinTolerance", "Every critical provider must be back within the tolerance of each organisation that depends on it, when policies.recovery_within_tolerance is true.",
		"The policy policies.recovery_within_tolerance compares, for every critical dependency with no alternative of an organisation that gives a tolerance (the days it can run below half capacity), the provider's likely recovery (for a restore schedule, its first day at capacity 1) plus the dependency's buffer (the days the organisation carries on before it feels the loss, and so is back after the provider) with that tolerance: a provider that comes back later than the organisation can hold out is a gap in business continuity, whatever share of its work the provider carries. The finding is on the dependency, with the provider's recovery and the organisation's tolerance as related locations.",
		SeverityError},
	{model.RuleMaxStrained, "MaxStrained", "No scenario's timeline may strain more organisations than policies.max_strained.",
		"The policy policies.max_strained caps the second-order effect of every scenario of the model: the organisations its timeline (with its assumptions) strains on some day, because they help a neighbour through mutual aid or ration a shared stock below its alert. Going over it means the model, as it stands, leans on more helpers or a thinner stock than the policy accepts. The finding is on the policy, with the scenario and the helpers and stocks that strain the organisations as related locations.",
		SeverityError},
	{model.RuleExpectStrains, "ExpectStrains", "A scenario's timeline must strain each node it lists under expect.strains on some day.",
		"A scenario's expect.strains lists nodes that its timeline must strain: a helper that gives mutual aid, or a consumer of a stock that falls below its alert. A node it never strains means the model no longer shows the second-order effect the scenario was written to demonstrate: an aid link or a surge was removed, or the help is no longer needed. The finding is on the node's entry, with its definition as a related location.",
		SeverityError},
	{model.RuleExpectStockAlertAfter, "ExpectStockAlertAfter", "A scenario's timeline may take each stock it lists under expect.stock_alert_after below its alert no earlier than the days given.",
		"A scenario's expect.stock_alert_after gives, for each stock named, the fewest days from the attack before its level may fall below its alert. A stock that crosses earlier runs down faster than the scenario was written to show: a surge grew, or the stock held shrank. The finding is on the stock's limit, with the stock's days and alert as a related location.",
		SeverityError},
	{RuleExpiredException, "ExpiredException", "An exception whose until date has passed waives nothing and must be renewed or removed.",
		"An exception waives one rule for one node until a date. Once the date has passed it waives nothing, and the findings it waived are reported again.",
		SeverityError},
	{RuleUnusedException, "UnusedException", "An exception that waives no finding should be removed.",
		"An exception that waives no finding is stale: the problem it covered has gone, or it names the wrong rule or node.",
		SeverityWarning},
	{RuleModel, "ModelLoads", "The model must load: every error the loader reports is a finding.",
		"A model with errors (a syntax error, an unknown id, a missing field) cannot be analysed, so no other rule runs. Each error is reported at its line with a hint.",
		SeverityError},
	{RuleFailOnIncrease, "FailOnIncrease", "A change may grow no node's blast radius by more organisations than diff --fail-on-increase allows.",
		"The diff command's --fail-on-increase caps how much one change may widen any node's blast radius, in either mode. The finding is on the line of the change whose undoing alone shrinks the largest growth most: an added dependency, a dependency made critical, or a node's lost controls.",
		SeverityError},
}

// Finding is one broken expectation or policy, at the place in the model
// that caused it.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	// Pos is where the finding is; its file, line and column are the
	// JSON fields file, line and column.
	model.Pos
	ID       string  `json:"id,omitempty"`       // the node it concerns
	Related  string  `json:"related,omitempty"`  // a second node: the provider of a dependency
	Scenario string  `json:"scenario,omitempty"` // the scenario it comes from
	Check    string  `json:"check"`              // the check it belongs to
	Waiver   *Waiver `json:"waived,omitempty"`   // the exception that waives it
	// Causes are the lines that produce the finding: the dependencies and
	// operators on the path that explains it, and the policy or
	// expectation it breaks when that is not the finding's own line.
	Causes []Cause `json:"causes,omitempty"`
	// MoreCauses counts the lines left out of Causes, which holds at most
	// MaxCauses.
	MoreCauses int     `json:"more_causes,omitempty"`
	rest       []Cause // those causes, their text left out, for Anchor
	moved      bool
}

// String formats the finding as a compiler's message:
// file:line:column: severity: message [rule].
func (f Finding) String() string {
	return fmt.Sprintf("%s: %s: %s [%s]", f.Pos, f.Severity, f.Message, f.Rule)
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

// CheckFunc applies rules that another package holds, such as the
// timeline's, to the graph of a model: it returns their checks, each with
// its findings (made with NewFinding), for Check to add to the report.
type CheckFunc func(g *Graph) ([]CheckResult, error)

// Check runs every scenario expectation and policy of the model, and the
// checks of more. today is the date exceptions are measured against, as
// YYYY-MM-DD. The checks of more are added before exceptions are applied,
// so that an exception waives their findings as it does any other.
func Check(m *model.Model, today string, more ...CheckFunc) (*Report, error) {
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
	}
	for _, f := range more {
		cs, err := f(g)
		if err != nil {
			return nil, err
		}
		r.addChecks(cs)
	}
	if p := m.Policies; p != nil {
		applyExceptions(r, p, today)
	}
	r.collect()
	return r, nil
}

// addChecks adds checks, each after the last check of its group (its
// scenario, or the policies), or at the end for a group not seen yet.
func (r *Report) addChecks(cs []CheckResult) {
	for _, c := range cs {
		c.Findings = nonNil(c.Findings)
		at := len(r.Checks)
		for i := len(r.Checks) - 1; i >= 0; i-- {
			if r.Checks[i].Group == c.Group {
				at = i + 1
				break
			}
		}
		r.Checks = slices.Insert(r.Checks, at, c)
	}
}

// collect lists every check's findings in r.Findings, in file order.
func (r *Report) collect() {
	r.Findings = []Finding{}
	for _, c := range r.Checks {
		r.Findings = append(r.Findings, c.Findings...)
	}
	slices.SortStableFunc(r.Findings, func(a, b Finding) int {
		return comparePos(a.Pos, b.Pos)
	})
}

// comparePos orders positions by file, line and column.
func comparePos(a, b model.Pos) int {
	return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
}

// at returns pos in the model's root file if it names no file, as in a
// model built in memory.
func (g *Graph) at(pos model.Pos) model.Pos {
	if pos.File == "" {
		pos.File = g.model.File
	}
	return pos
}

// NewFinding is a finding of the rule, of the rule's severity, at pos,
// for a CheckFunc to return.
func NewFinding(rule string, pos model.Pos, msg string) Finding {
	return finding(rule, pos, "%s", msg)
}

func finding(rule string, pos model.Pos, format string, args ...any) Finding {
	sev := SeverityError
	for _, ri := range CheckRules {
		if ri.ID == rule {
			sev = ri.Severity
		}
	}
	return Finding{Rule: rule, Severity: sev, Message: fmt.Sprintf(format, args...), Pos: pos}
}

func (g *Graph) checkScenario(r *Report, s *model.Scenario) error {
	if s.Expect == nil {
		return nil
	}
	sg := g
	if !s.Assume.Empty() {
		var err error
		if sg, err = Build(g.model.Apply(s.Assume.Changes())); err != nil {
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
				f := finding(model.RuleExpectReaches, g.at(ref.Pos), "scenario %q was expected to reach %q, but leaves it unaffected", s.Name, ref.Value)
				f.ID = ref.Value
				if n, ok := g.Lookup(ref.Value); ok {
					f.Causes = []Cause{{Pos: g.at(n.Pos), Message: fmt.Sprintf("%q, which no path from the compromise reaches", ref.Value)}}
				}
				fs = append(fs, f)
			}
		}
		add("reaches "+strings.Join(refValues(x.Reaches), ", "), fs)
	}
	if len(x.Spares) > 0 {
		var fs []Finding
		for _, ref := range x.Spares {
			if a := im.Of(ref.Value); a != nil {
				f := finding(model.RuleExpectSpares, g.at(ref.Pos), "scenario %q was expected to spare %q, but it is %s (%s)", s.Name, ref.Value, a.Impact, pathText(a))
				f.ID = ref.Value
				f.setCauses(capCauses(sg.explain(a)))
				fs = append(fs, f)
			}
		}
		add("spares "+strings.Join(refValues(x.Spares), ", "), fs)
	}
	if x.MaxOrganisations != nil {
		var fs []Finding
		if n := im.Summary.Organisations; n > *x.MaxOrganisations {
			f := finding(model.RuleExpectMaxOrganisations, g.at(x.At("max_organisations")), "scenario %q affects %s, more than its limit of %s", s.Name, english.Plural(n, "organisation"), english.Commas(*x.MaxOrganisations))
			f.setCauses(sg.explainAll(im))
			fs = append(fs, f)
		}
		add("affects at most "+english.Plural(*x.MaxOrganisations, "organisation"), fs)
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
			f := finding(model.RuleMaxOrganisations, g.at(n.Pos), "a compromise of %q affects %s, more than the policy's %s", e.ID, english.Plural(e.Organisations, "organisation"), english.Commas(limit))
			f.ID = e.ID
			pos := p.At("max_organisations")
			f.Causes = []Cause{{Pos: g.at(pos), Message: "the policy that no single compromise affects more than " + english.Plural(limit, "organisation")}}
			if im, err := g.Reach([]string{e.ID}, model.Ransomware); err == nil {
				causes, rest := g.explainAll(im)
				f.setCauses(append(f.Causes, causes...), rest)
			}
			fs = append(fs, f)
		}
		add("no single compromise affects more than "+english.Plural(limit, "organisation"), fs)
	}
	if p.MaxExpectedOrganisations != nil {
		limit := *p.MaxExpectedOrganisations
		rr, err := g.RankRisk(model.Ransomware, nil, RiskOptions{Samples: DefaultRiskSamples, Seed: 1})
		if err != nil {
			return err
		}
		var fs []Finding
		pos := p.At("max_expected_organisations")
		for _, e := range rr.Ranking {
			x := e.ExpectedOf(MeasureOrganisations)
			lo, hi := x.CI[0], x.CI[1]
			if hi <= limit {
				continue
			}
			n, _ := g.Lookup(e.ID)
			var f Finding
			if lo > limit {
				f = finding(model.RuleMaxExpectedOrganisations, g.at(n.Pos), "attacks starting at %q affect %.3g organisations a year on average (95%% interval %.3g to %.3g), more than the policy's %g", e.ID, x.Mean, lo, hi, limit)
			} else {
				f = finding(model.RuleMaxExpectedOrganisations, g.at(n.Pos), "inconclusive: attacks starting at %q affect %.3g organisations a year on average, but the 95%% interval %.3g to %.3g straddles the policy's %g", e.ID, x.Mean, lo, hi, limit)
				f.Severity = SeverityWarning
			}
			f.ID = e.ID
			f.Causes = []Cause{{Pos: g.at(pos), Message: fmt.Sprintf("the policy that no node's attacks affect more than %g organisations a year on average", limit)}}
			fs = append(fs, f)
		}
		add(fmt.Sprintf("no node's attacks affect more than %g organisations a year on average", limit), fs)
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
				f := finding(model.RuleRequireControls, g.at(n.At("controls")), "%s %q lacks %s, which policy requires of every %s", n.Class, n.ID, strings.Join(missing, " and "), rc.Kind.Value)
				f.ID = n.ID
				f.Causes = []Cause{{Pos: g.at(rc.Kind.Pos), Message: fmt.Sprintf("the policy that every %s has %s", rc.Kind.Value, strings.Join(refValues(rc.Controls), " and "))}}
				fs = append(fs, f)
			}
		}
		add(fmt.Sprintf("every %s has %s", rc.Kind.Value, strings.Join(refValues(rc.Controls), ", ")), fs)
	}
	if len(p.CriticalNeedsAlternative) > 0 {
		kinds := refValues(p.CriticalNeedsAlternative)
		var fs []Finding
		for _, d := range m.Dependencies {
			if !d.Type.HasAlternatives() || !d.Critical || len(d.Alternatives) > 0 || d.Aid != nil {
				continue // an aid link is help, not a need
			}
			to, ok := g.Lookup(d.To)
			if !ok || to.Class != model.ClassService || !containsString(kinds, to.Kind) {
				continue
			}
			f := finding(model.RuleCriticalNeedsAlternative, g.at(d.Pos), "%q depends critically on the %s service %q with no alternative", d.From, to.Kind, d.To)
			f.ID, f.Related = d.From, d.To
			for _, k := range p.CriticalNeedsAlternative {
				if k.Value == to.Kind {
					f.Causes = []Cause{{Pos: g.at(k.Pos), Message: fmt.Sprintf("the policy that critical dependencies on a %s service have an alternative", to.Kind)}}
				}
			}
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
			f := finding(RuleExpiredException, x.At("until"), "the exception to %s expired on %s", who, x.Until)
			f.ID, f.Check = x.ID, "policies: exceptions are in date"
			extra = append(extra, f)
		case !used:
			f := finding(RuleUnusedException, x.Pos, "the exception to %s waives no finding", who)
			f.ID, f.Check = x.ID, "policies: exceptions are in date"
			extra = append(extra, f)
		}
	}
	if len(p.Exceptions) > 0 {
		r.Checks = append(r.Checks, CheckResult{Name: "exceptions are in date and in use", Group: "policies", Findings: nonNil(extra)})
	}
}

// ModelReport is the report of a model that did not load: one check, "the
// model loads", whose findings are the loader's errors and warnings under
// the rule RuleModel, each at its position.
func ModelReport(file string, errs model.ErrorList) *Report {
	r := &Report{File: file}
	c := CheckResult{Name: "the model loads", Group: RuleModel, Findings: []Finding{}}
	for _, e := range errs {
		sev := SeverityError
		if e.Severity == model.SevWarning {
			sev = SeverityWarning
		}
		msg := e.Msg
		if e.Hint != "" {
			msg += " (" + e.Hint + ")"
		}
		c.Findings = append(c.Findings, Finding{Rule: RuleModel, Severity: sev, Message: msg, Pos: e.At(), Check: RuleModel + ": " + c.Name})
	}
	r.Checks = []CheckResult{c}
	r.collect()
	return r
}
