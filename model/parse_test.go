package model_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

func TestExamplesAreClean(t *testing.T) {
	files, _ := filepath.Glob("../examples/*.yaml")
	if len(files) < 4 {
		t.Fatalf("found %d examples, want at least 4", len(files))
	}
	for _, f := range files {
		m, err := model.Load(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if len(m.Warnings) > 0 {
			t.Errorf("%s: warnings: %v", f, m.Warnings)
		}
		if len(m.Scenarios) == 0 {
			t.Errorf("%s: no scenario a user can run", f)
		}
	}
}

func parseOK(t *testing.T, src string) *model.Model {
	t.Helper()
	m, err := model.Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return m
}

func TestHygiene(t *testing.T) {
	base := "version: 1\norganisations:\n  - {id: a, kind: trust, patients: 10}\n  - {id: b, kind: supplier}\ndependencies:\n  - {from: a, to: b, type: service}\n"
	t.Run("byte-order mark", func(t *testing.T) {
		m := parseOK(t, "\ufeff"+base)
		if len(m.Organisations) != 2 {
			t.Errorf("got %d organisations", len(m.Organisations))
		}
	})
	t.Run("CRLF line endings keep positions", func(t *testing.T) {
		_, err := model.Parse("t.yaml", []byte(strings.ReplaceAll(base+"  - {from: a, to: c, type: data}\n", "\n", "\r\n")))
		if err == nil || !strings.Contains(err.Error(), "t.yaml:7:19:") {
			t.Errorf("got %v, want an error at 7:19", err)
		}
	})
	t.Run("anchors and merge keys", func(t *testing.T) {
		m := parseOK(t, `version: 1
x-defaults: &trust {kind: trust, controls: [mfa]}
organisations:
  - {<<: *trust, id: a}
  - {<<: *trust, id: b, controls: [segmentation]}
  - &c {id: c, kind: supplier}
  - {<<: *c, id: d}
`)
		got := fmt.Sprint(m.Organisations[0].Kind, m.Organisations[0].Controls, m.Organisations[1].Controls, m.Organisations[3].Kind)
		if got != "trust[mfa] [segmentation]supplier" {
			t.Errorf("merged: %s", got)
		}
	})
	t.Run("numbers and booleans written as text", func(t *testing.T) {
		m := parseOK(t, `version: "1"
organisations:
  - {id: a, kind: trust, patients: "2600000"}
  - {id: "123", kind: trust}
dependencies:
  - {from: a, to: "123", type: service, critical: "false", likelihood: "0.5"}
`)
		if m.Organisations[0].Patients != 2600000 || m.Organisations[1].ID != "123" {
			t.Errorf("values: %+v %+v", m.Organisations[0], m.Organisations[1])
		}
		if d := m.Dependencies[0]; d.Critical || d.Likelihood != 0.5 {
			t.Errorf("dependency: %+v", d)
		}
		if len(m.Warnings) != 4 {
			t.Errorf("got %d warnings, want 4 (version, patients, critical, likelihood): %v", len(m.Warnings), m.Warnings)
		}
	})
	t.Run("defaults", func(t *testing.T) {
		m := parseOK(t, base)
		if d := m.Dependencies[0]; !d.Critical || d.Likelihood != 1 {
			t.Errorf("defaults: %+v", d)
		}
		if m.Organisations[1].Name != "b" {
			t.Errorf("name defaults to the id, got %q", m.Organisations[1].Name)
		}
	})
}

// Shared anchors live under "x-" keys; any other unknown key is an error.
func TestMergeKeysNeedAKnownHome(t *testing.T) {
	_, err := model.Parse("t.yaml", []byte("version: 1\ndefaults: &d {kind: trust}\norganisations:\n  - {<<: *d, id: a}\n"))
	if err == nil || !strings.Contains(err.Error(), `unknown key "defaults"`) {
		t.Errorf("got %v", err)
	}
}

func TestLimits(t *testing.T) {
	src := []byte("version: 1\norganisations:\n  - {id: a, kind: trust}\n  - {id: b, kind: trust}\n")
	cases := []struct {
		lim  model.Limits
		want string
	}{
		{model.Limits{MaxBytes: 10}, "larger than the limit of 10 bytes"},
		{model.Limits{MaxNodes: 1}, "2 organisations and services, over the limit of 1"},
		{model.Limits{MaxIDLength: 1, MaxNodes: 5}, ""},
		{model.Limits{MaxDepth: 2}, "nesting deeper than the limit of 2"},
	}
	for _, c := range cases {
		_, err := model.ParseWith("t.yaml", src, c.lim)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: %v", c.lim, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%+v: got %v, want %q", c.lim, err, c.want)
		}
	}
	_, err := model.ParseWith("t.yaml", []byte("version: 1\norganisations:\n  - {id: abcdef, kind: trust}\n"), model.Limits{MaxIDLength: 3})
	if err == nil || !strings.Contains(err.Error(), "over the limit of 3") {
		t.Errorf("id length: %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	_, err := model.Load("testdata/does-not-exist.yaml")
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	var list model.ErrorList
	if errors.As(err, &list) {
		t.Errorf("a missing file is not a model error")
	}
	_, err = model.Load("../examples")
	if err == nil {
		t.Errorf("a directory: no error")
	}
}

func TestErrorListFormat(t *testing.T) {
	_, err := model.Parse("x.yaml", []byte("version: 2\nfoo: 1\n"))
	if got := err.Error(); got != `x.yaml:1:10: unsupported version 2 (this blastradius reads version 1) (and 1 more errors)` {
		t.Errorf("got %s", got)
	}
}

var positioned = regexp.MustCompile(`^[^:]+:\d+:\d+: `)

// FuzzParse: no input makes the loader panic, every problem has a position,
// and a model that parses always builds and analyses.
func FuzzParse(f *testing.F) {
	for _, glob := range []string{"../examples/*.yaml", "../testdata/invalid/*.yaml", "../testdata/valid/*.yaml"} {
		files, _ := filepath.Glob(glob)
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
	f.Add([]byte("version: 1\norganisations: [{id: a, kind: trust}]\nservices: [{id: s, kind: epr, operator: a}]\ndependencies: [{from: a, to: s, type: network}]\n"))
	f.Add([]byte(timed))
	f.Add([]byte("version: 1\norganisations: [{id: a, kind: urgent-care, controls: [mfa]}, {id: b, kind: care-home}]\nservices: [{id: s, kind: telephony}, {id: r, kind: remote-access}]\n" +
		"dependencies: [{from: a, to: s, type: service}, {from: s, to: a, type: data}, {from: a, to: r, type: network}, {from: r, to: a, type: network}]\n" +
		"scenarios: [{name: x, compromise: [r], assume: {add: [{from: b, to: s, type: service, alternatives: [a]}], alternatives: [{from: a, to: s, add: [b]}], remove_controls: {a: [mfa]}}}]\n"))
	f.Add([]byte("version: 1\ninclude: [a.yaml, \"*\", ../b.yaml]\norganisations: [{id: a, kind: trust}]\n"))
	f.Add([]byte("version: 1\norganisations:\n  - id: a\n\tkind: trust\n    name: \"A\" B\n    controls: [mfa\n"))
	f.Add([]byte("version: 1\norganisations: [{id: a, kind: supplier, entry: 0.2, controls: [supported-systems]}]\nservices: [{id: s, kind: identity, entry: 1.5}, {id: t, kind: epr, entry: \"0.1\"}]\n" +
		"dependencies: [{from: a, to: s, type: access, likelihood: 0.3}]\npolicies: {max_expected_organisations: 0.5}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := model.ParseWith("f.yaml", src, model.Limits{MaxBytes: 1 << 20, MaxAliasNodes: 10000})
		if err != nil {
			var list model.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error is not a non-empty ErrorList: %T %v", err, err)
			}
			for _, e := range list {
				if !positioned.MatchString(e.Error()) {
					t.Fatalf("error without a position: %q", e.Error())
				}
			}
			return
		}
		g, err := graph.Build(m)
		if err != nil {
			t.Fatalf("a valid model does not build: %v", err)
		}
		for i, n := range g.Nodes() {
			if i > 3 {
				break
			}
			for _, mode := range model.Modes {
				if _, err := g.Reach([]string{n.ID}, mode); err != nil {
					t.Fatalf("Reach(%s): %v", n.ID, err)
				}
			}
		}
	})
}

func ExampleParse() {
	src := []byte(`version: 1
organisations:
  - {id: gstt, name: Guy's and St Thomas', kind: trust}
dependencies:
  - {from: gstt, to: synovis, type: service}
`)
	_, err := model.Parse("sel.yaml", src)
	fmt.Println(err)
	// Output: sel.yaml:5:22: dependency to "synovis": no such organisation or service (define it under organisations or services, or correct the id)
}

func TestLimitErrorsAreTyped(t *testing.T) {
	_, err := model.ParseWith("t.yaml", []byte("version: 1\norganisations: [{id: a, kind: trust}, {id: b, kind: trust}]\n"), model.Limits{MaxNodes: 1})
	var list model.ErrorList
	if !errors.As(err, &list) || len(list) != 1 || list[0].Limit != "MaxNodes" {
		t.Errorf("got %#v", err)
	}
	_, err = model.Parse("t.yaml", []byte("version: 2\n"))
	if errors.As(err, &list) && list[0].Limit != "" {
		t.Errorf("a wrong version is not a limit: %#v", list[0])
	}
}

// FuzzParseScenarios: a scenarios file never panics the loader, and its
// errors have positions.
func FuzzParseScenarios(f *testing.F) {
	m, err := model.Load("../examples/synnovis-2024.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range []string{"../examples/policies/standards.yaml", "../testdata/invalid/scenarios.yaml"} {
		src, _ := os.ReadFile(file)
		f.Add(src)
	}
	f.Add([]byte("scenarios: [{name: x, compromise: [gstt], assume: {remove: [{from: gstt, to: synnovis-lims}]}}]\n"))
	f.Add([]byte("scenarios: [{name: x, compromise: [gstt], assume: {add: [{from: kch, to: synnovis-lims, type: service}], alternatives: [{from: gstt, to: synnovis-lims, add: [kch]}], remove_controls: {gstt: [mfa]}}}]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		_, err := model.ParseScenarios(m, "s.yaml", src, model.Limits{MaxBytes: 1 << 20, MaxAliasNodes: 10000})
		if err == nil {
			return
		}
		var list model.ErrorList
		if !errors.As(err, &list) {
			t.Fatalf("not an ErrorList: %T", err)
		}
		for _, e := range list {
			if !positioned.MatchString(e.Error()) {
				t.Fatalf("error without a position: %q", e.Error())
			}
		}
	})
}
