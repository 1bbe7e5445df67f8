package graph

import (
	"strings"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// anchorModel is a supplier, a laboratory system that trusts use, and a
// scenario that compromises the supplier and expects trust-b to be spared;
// the laboratory system's operator, its controls and the dependencies vary.
func anchorModel(operator, controls string, deps ...string) string {
	return `version: 1
name: anchor
organisations:
  - {id: supplier, name: Supplier, kind: supplier}
  - {id: other, name: Other supplier, kind: supplier}
  - {id: trust-a, name: Trust A, kind: trust}
  - {id: trust-b, name: Trust B, kind: trust}
services:
  - id: lims
    name: Laboratory system
    kind: pathology
    operator: ` + operator + `
    controls: [` + controls + `]
dependencies:
  - {from: trust-a, to: lims, type: service}
` + strings.Join(deps, "") + `scenarios:
  - name: supplier compromised
    compromise: [supplier]
    mode: ransomware
    expect:
      spares: [trust-b]
`
}

const (
	access = "  - {from: lims, to: supplier, type: access}\n"
	useB   = "  - {from: trust-b, to: lims, type: service}\n"
)

func parseModel(t *testing.T, src string) *model.Model {
	t.Helper()
	m, err := model.Parse("m.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func lineOf(src, text string) int {
	return strings.Count(src[:strings.Index(src, text)], "\n") + 1
}

// TestAnchor checks that a finding moves onto the line the change
// introduced or altered (a dependency, an operator, a control removed),
// with the expectation as its first cause, and stays put otherwise.
func TestAnchor(t *testing.T) {
	cases := []struct {
		name      string
		base, src string
		want      string // the text of the line the finding lands on
	}{
		{"a dependency added", anchorModel("other", "", access), anchorModel("other", "", access, useB), "{from: trust-b, to: lims"},
		{"an operator changed", anchorModel("other", "", useB), anchorModel("supplier", "", useB), "operator: supplier"},
		{"a control removed", anchorModel("other", "mfa", access, useB), anchorModel("other", "", access, useB), "controls: []"},
	}
	for _, c := range cases {
		m := parseModel(t, c.src)
		r, err := Check(m, "2026-01-01")
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Findings) != 1 {
			t.Fatalf("%s: %d findings, want 1: %+v", c.name, len(r.Findings), r.Findings)
		}
		spares := lineOf(c.src, "spares: [trust-b]")
		if f := r.Findings[0]; f.Line != spares || f.Moved() {
			t.Errorf("%s: before Anchor, the finding is at line %d, want %d", c.name, f.Line, spares)
		}
		r.Anchor(parseModel(t, c.base))
		f := r.Findings[0]
		if want := lineOf(c.src, c.want); f.Line != want || !f.Moved() {
			t.Errorf("%s: the finding is at line %d, want %d (%q); causes %+v", c.name, f.Line, want, c.want, f.Causes)
		}
		if len(f.Causes) < 2 || f.Causes[0].Line != spares || !strings.Contains(f.Causes[0].Message, "expectation") {
			t.Errorf("%s: the first cause is not the expectation: %+v", c.name, f.Causes)
		}
		// Against itself, nothing changed: the finding stays on its rule.
		r2, _ := Check(m, "2026-01-01")
		r2.Anchor(m)
		if f := r2.Findings[0]; f.Line != spares || f.Moved() {
			t.Errorf("%s: anchored against itself, the finding moved to line %d", c.name, f.Line)
		}
	}
}

// TestExplain checks the causes of a finding: one per step of the path,
// each on its dependency's or operator's line, plus the controls that did
// not stop a step.
func TestExplain(t *testing.T) {
	src := anchorModel("other", "edr", access, useB)
	r, err := Check(parseModel(t, src), "2026-01-01")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 1 {
		t.Fatalf("%d findings: %+v", len(r.Findings), r.Findings)
	}
	var got []int
	for _, c := range r.Findings[0].Causes {
		got = append(got, c.Line)
	}
	want := []int{lineOf(src, "{from: lims, to: supplier"), lineOf(src, "controls: [edr]"), lineOf(src, "{from: trust-b, to: lims")}
	if len(got) != len(want) {
		t.Fatalf("cause lines %v, want %v: %+v", got, want, r.Findings[0].Causes)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("cause lines %v, want %v", got, want)
		}
	}
	if msg := r.Findings[0].Causes[1].Message; !strings.Contains(msg, `"lims" has controls (edr), none of which stops step 1`) {
		t.Errorf("controls cause: %q", msg)
	}
}

func TestModelReport(t *testing.T) {
	errs := model.ErrorList{
		{File: "m.yaml", Pos: model.Pos{Line: 3, Column: 5}, Msg: `unknown id "x"`, Hint: `did you mean "y"?`},
		{File: "m.yaml", Pos: model.Pos{Line: 9, Column: 1}, Msg: "a warning", Severity: model.SevWarning},
	}
	r := ModelReport("m.yaml", errs)
	if len(r.Checks) != 1 || len(r.Findings) != 2 || r.Checks[0].Passed() {
		t.Fatalf("%+v", r)
	}
	f := r.Findings[0]
	if f.Rule != RuleModel || f.Line != 3 || f.Column != 5 || f.Severity != SeverityError || f.Message != `unknown id "x" (did you mean "y"?)` {
		t.Errorf("%+v", f)
	}
	if r.Findings[1].Severity != SeverityWarning {
		t.Errorf("a load warning is a %s finding", r.Findings[1].Severity)
	}
}
