package model_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

const applyModel = `version: 1
organisations:
  - {id: a, kind: trust, controls: [mfa, edr]}
  - {id: b, kind: trust}
  - {id: acme, kind: supplier}
services:
  - {id: lims, kind: pathology, operator: acme}
  - {id: backup-lab, kind: pathology}
  - {id: vpn, kind: remote-access, operator: acme}
dependencies:
  - {from: a, to: lims, type: service}
  - {from: a, to: vpn, type: access}
  - {from: b, to: a, type: data}
scenarios:
`

// impactOn returns the effect a compromise of seed has on id under the
// scenario's assumptions.
func impactOn(t *testing.T, m *model.Model, scenario, seed, id string) string {
	t.Helper()
	s := m.Scenario(scenario)
	if s == nil {
		t.Fatalf("no scenario %q", scenario)
	}
	g, err := graph.Build(m.Apply(s.Assume.Changes()))
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	imp, err := g.Reach([]string{seed}, model.Ransomware)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range imp.Affected {
		if x.ID == id {
			return x.Impact.String()
		}
	}
	return "unaffected"
}

func TestAssumeAdd(t *testing.T) {
	m := parseOK(t, applyModel+`  - name: b uses the lims
    compromise: [acme]
    assume:
      add:
        - {from: b, to: lims, type: service, critical: false, alternatives: [backup-lab]}
  - name: none
    compromise: [acme]
`)
	if got := impactOn(t, m, "none", "acme", "b"); got != "unaffected" {
		t.Errorf("without the addition b is %s", got)
	}
	if got := impactOn(t, m, "b uses the lims", "acme", "b"); got != "degraded" {
		t.Errorf("with the addition b is %s, want degraded", got)
	}
	if n := len(m.Dependencies); n != 3 {
		t.Errorf("Apply changed the model: %d dependencies", n)
	}
}

func TestAssumeAlternatives(t *testing.T) {
	m := parseOK(t, applyModel+`  - name: backup lab
    compromise: [acme]
    assume:
      alternatives: [{from: a, to: lims, add: [backup-lab]}]
`)
	if got := impactOn(t, m, "backup lab", "acme", "a"); got != "degraded" {
		t.Errorf("with an alternative a is %s, want degraded", got)
	}
	applied := m.Apply(m.Scenario("backup lab").Assume.Changes())
	if d := applied.Dependencies[0]; !slices.Equal(d.Alternatives, []string{"backup-lab"}) {
		t.Errorf("alternatives after Apply: %v", d.Alternatives)
	}
	if d := m.Dependencies[0]; len(d.Alternatives) != 0 {
		t.Errorf("Apply changed the model's dependency: %v", d.Alternatives)
	}
}

func TestAssumeRemoveControls(t *testing.T) {
	m := parseOK(t, applyModel+`  - name: no mfa
    compromise: [vpn]
    assume:
      remove_controls: {a: [mfa]}
  - name: mfa
    compromise: [vpn]
`)
	if got := impactOn(t, m, "mfa", "vpn", "a"); got != "unaffected" {
		t.Errorf("with mfa a is %s", got)
	}
	if got := impactOn(t, m, "no mfa", "vpn", "a"); got != "compromised" {
		t.Errorf("without mfa a is %s, want compromised", got)
	}
	applied := m.Apply(m.Scenario("no mfa").Assume.Changes())
	if c := applied.Node("a").Controls; !slices.Equal(c, []string{"edr"}) {
		t.Errorf("controls after Apply: %v", c)
	}
	if c := m.Node("a").Controls; !slices.Equal(c, []string{"mfa", "edr"}) {
		t.Errorf("Apply changed the model's node: %v", c)
	}
}

// A scenario may replace a dependency: remove it and add it back with other
// values, which is no conflict.
func TestAssumeReplaceDependency(t *testing.T) {
	m := parseOK(t, applyModel+`  - name: not critical
    compromise: [acme]
    assume:
      remove: [{from: a, to: lims, type: service}]
      add: [{from: a, to: lims, type: service, critical: false}]
`)
	if got := impactOn(t, m, "not critical", "acme", "a"); got != "degraded" {
		t.Errorf("a is %s, want degraded", got)
	}
	if len(m.Warnings) != 0 {
		t.Errorf("warnings: %v", m.Warnings)
	}
}

func TestAssumeErrors(t *testing.T) {
	cases := []struct{ assume, want string }{
		{"add: [{from: b, to: lmis, type: service}]",
			`s.yaml:18:27: dependency to "lmis": no such organisation or service (did you mean "lims"?)`},
		{"add: [{from: b, to: lims, type: servise}]",
			`s.yaml:18:39: unknown dependency type "servise" (did you mean "service"?)`},
		{"add: [{from: b, to: lims, type: service, alternatives: [backup-lad]}]",
			`s.yaml:18:63: alternative "backup-lad": no such organisation or service (did you mean "backup-lab"?)`},
		{"add: [{from: a, to: lims, type: service, critical: false}]",
			`s.yaml:18:13: the service dependency of "a" on "lims" is listed twice, differently: critical false here, true at line 11 (first at s.yaml:11:5; keep one listing, with the values you mean)`},
		{"alternatives: [{from: lims, to: a, add: [backup-lab]}]",
			`s.yaml:18:22: alternatives: no service dependency of "lims" on "a" (add it under "add", or check the direction: from is the consumer)`},
		{"alternatives: [{from: b, to: a, add: [backup-lab]}]",
			`s.yaml:18:22: alternatives: no service dependency of "b" on "a" (the dependency is of type data; alternatives stand in for the provider of a service dependency)`},
		{"alternatives: [{from: a, to: lims, add: [backup-lap]}]",
			`s.yaml:18:48: alternative "backup-lap": no such organisation or service (did you mean "backup-lab"?)`},
		{"alternatives: [{from: a, to: lims, add: [lims]}]",
			`s.yaml:18:48: alternative "lims" is the provider itself (list other providers that can stand in for it)`},
		{"alternatives: [{from: a, to: lims}]",
			`s.yaml:18:22: alternatives entry has no "add" (add add: the ids of the providers that can stand in)`},
		{"alternatives: [{from: a, to: limz, add: [backup-lab]}]",
			`s.yaml:18:36: alternatives to "limz": no such organisation or service (did you mean "lims"?)`},
		{"remove_controls: {a: [edr, mfa, segmentation]}",
			`s.yaml:18:39: remove_controls: "a" has no control "segmentation" (it has mfa, edr; a removal must match a control of the model)`},
		{"remove_controls: {aa: [mfa]}",
			`s.yaml:18:25: remove_controls for "aa": no such organisation or service (did you mean "a"?)`},
		{"remove_controls: {b: [mfaa]}",
			`s.yaml:18:29: unknown control "mfaa" (did you mean "mfa"?)`},
	}
	for _, c := range cases {
		src := applyModel + "  - name: x\n    compromise: [acme]\n    assume:\n      " + c.assume + "\n"
		_, err := model.Parse("s.yaml", []byte(src))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s:\n got %v\nwant %s", c.assume, err, c.want)
		}
	}
}

// A scenarios file ("check --scenarios") reads the same keys.
func TestAssumeInScenariosFile(t *testing.T) {
	m := parseOK(t, strings.TrimSuffix(applyModel, "scenarios:\n"))
	src := `scenarios:
  - name: all of it
    compromise: [acme]
    assume:
      add: [{from: b, to: lims, type: service}]
      alternatives: [{from: a, to: lims, add: [backup-lab]}]
      remove_controls: {a: [mfa]}
`
	s, err := model.ParseScenarios(m, "s.yaml", []byte(src), model.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	a := s.Scenario("all of it").Assume
	if len(a.Add) != 1 || len(a.Alternatives) != 1 || len(a.RemoveControls) != 1 {
		t.Fatalf("assume: %+v", a)
	}
	if got := impactOn(t, s, "all of it", "acme", "b"); got != "disrupted" {
		t.Errorf("b is %s, want disrupted", got)
	}
	_, err = model.ParseScenarios(m, "s.yaml", []byte(strings.Replace(src, "to: lims, add", "to: limz, add", 1)), model.Limits{})
	if err == nil || !strings.Contains(err.Error(), `s.yaml:6:36: alternatives to "limz": no such organisation or service (did you mean "lims"?)`) {
		t.Errorf("got %v", err)
	}
	_, err = model.ParseScenarios(m, "s.yaml", []byte(strings.Replace(src, "{from: b, to: lims, type: service}", "{from: a, to: lims, type: service, critical: false}", 1)), model.Limits{})
	if err == nil || !strings.Contains(err.Error(), "first at t.yaml:11:5") {
		t.Errorf("a conflict with the model names the model's line: %v", err)
	}
}

// Assuming a control the node already has changes nothing: a warning on
// the control's line, beside the line of the node that gives it.
func TestAssumeControlAlreadyHeld(t *testing.T) {
	m := parseOK(t, applyModel+`  - name: mfa again
    compromise: [acme]
    assume:
      controls:
        a: [segmentation, mfa]
        b: [mfa]
`)
	if len(m.Warnings) != 1 {
		t.Fatalf("warnings: %v, want one", m.Warnings)
	}
	w := m.Warnings[0]
	if got, want := w.Error(), `t.yaml:19:27: warning: controls: "a" already has control "mfa"; assuming it changes nothing (the model gives it at t.yaml:3:36; assume a control it lacks, or remove this one)`; got != want {
		t.Errorf("warning:\n got %s\nwant %s", got, want)
	}
}
