package graph

import (
	"errors"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/model"
)

const hookModel = `version: 1
name: hook
organisations:
  - {id: trust, name: Trust, kind: trust}
  - {id: lab-co, name: Lab company, kind: supplier}
services:
  - {id: lims, name: Laboratory, kind: pathology, operator: lab-co}
dependencies:
  - {from: trust, to: lims, type: service}
scenarios:
  - name: lab
    compromise: [lims]
    expect:
      reaches: [trust]
policies:
  max_organisations: 10
  exceptions:
    - {rule: recovery_within_tolerance, id: lims, reason: contracted, until: 2099-01-01}
`

// TestCheckFunc checks that the findings of a CheckFunc join the report
// in their group, before exceptions: one waives them, and is not unused.
func TestCheckFunc(t *testing.T) {
	m, err := model.Parse("m.yaml", []byte(hookModel))
	if err != nil {
		t.Fatal(err)
	}
	more := func(g *Graph) ([]CheckResult, error) {
		scen := NewFinding(model.RuleExpectMaxOutageDays, model.Pos{File: "m.yaml", Line: 12}, "too long")
		scen.Scenario, scen.ID = "lab", "trust"
		pol := NewFinding(model.RuleRecoveryWithinTolerance, model.Pos{File: "m.yaml", Line: 8}, "too late")
		pol.ID, pol.Related = "trust", "lims"
		return []CheckResult{
			{Name: "outage", Group: "lab", Findings: []Finding{scen}},
			{Name: "tolerance", Group: "policies", Findings: []Finding{pol}},
			{Name: "empty", Group: "policies"},
		}, nil
	}
	r, err := Check(m, "2026-11-23", more)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, c := range r.Checks {
		order = append(order, c.Group+"/"+c.Name)
		if c.Findings == nil {
			t.Errorf("check %q has nil findings", c.Name)
		}
	}
	want := "lab/reaches trust,lab/outage,policies/no single compromise affects more than 10 organisations,policies/tolerance,policies/empty,policies/exceptions are in date and in use"
	if got := strings.Join(order, ","); got != want {
		t.Errorf("checks %s\nwant %s", got, want)
	}
	if len(r.Findings) != 2 || r.Findings[0].Rule != model.RuleRecoveryWithinTolerance || r.Findings[0].Waiver == nil || r.Findings[1].Waiver != nil {
		t.Fatalf("findings %+v", r.Findings)
	}
	if r.Findings[1].Severity != SeverityError || r.Count(SeverityError) != 1 {
		t.Errorf("severity %s, %d errors", r.Findings[1].Severity, r.Count(SeverityError))
	}
	// Without the CheckFunc the exception waives nothing.
	r, _ = Check(m, "2026-11-23")
	if len(r.Findings) != 1 || r.Findings[0].Rule != RuleUnusedException {
		t.Errorf("without the CheckFunc: %+v", r.Findings)
	}
	// Its error is Check's, and Diff's.
	bad := errors.New("no timeline")
	if _, err := Check(m, "2026-11-23", func(*Graph) ([]CheckResult, error) { return nil, bad }); !errors.Is(err, bad) {
		t.Errorf("Check: %v", err)
	}
	if _, err := Diff(m, m, "2026-11-23", func(*Graph) ([]CheckResult, error) { return nil, bad }); !errors.Is(err, bad) {
		t.Errorf("Diff: %v", err)
	}
	// Diff sees a finding that only the new version's CheckFunc makes.
	newer := *m
	newer.Name = "newer"
	d, err := Diff(m, &newer, "2026-11-23", func(g *Graph) ([]CheckResult, error) {
		if g.Model().Name != "newer" {
			return nil, nil
		}
		f := NewFinding(model.RuleExpectMaxOutageDays, model.Pos{File: "m.yaml", Line: 12}, "too long")
		f.Scenario, f.ID = "lab", "trust"
		return []CheckResult{{Name: "outage", Group: "lab", Findings: []Finding{f}}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Findings.New) != 1 || d.Findings.New[0].Rule != model.RuleExpectMaxOutageDays || len(d.Findings.Resolved) != 0 {
		t.Errorf("diff findings %+v", d.Findings)
	}
}
