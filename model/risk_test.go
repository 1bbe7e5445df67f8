package model

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// TestControlEffectsDeclared: every control has exactly one effect, in the
// order of Controls, with its CAF principle and DSPT item; entry factors cut
// or leave alone, never raise; and a control that stops an effect in the
// relation declaration is not marked as recovery.
func TestControlEffectsDeclared(t *testing.T) {
	if len(ControlEffects) != len(Controls) {
		t.Fatalf("%d control effects for %d controls", len(ControlEffects), len(Controls))
	}
	for i, c := range ControlEffects {
		if c.Control != Controls[i] {
			t.Errorf("effect %d is %q, control %d is %q", i, c.Control, i, Controls[i])
		}
		if c.Entry <= 0 || c.Entry > 1 {
			t.Errorf("%s: entry factor %v outside (0, 1]", c.Control, c.Entry)
		}
		if c.Recovery <= 0 || c.Recovery > 1 {
			t.Errorf("%s: recovery factor %v outside (0, 1]", c.Control, c.Recovery)
		}
		if c.CAF == "" || c.DSPT == "" {
			t.Errorf("%s: no CAF principle or DSPT item", c.Control)
		}
	}
	for _, c := range Stopping() {
		if e, _ := ControlEffectOf(c); e.Recovery != 1 {
			t.Errorf("%s stops an effect but is declared to shorten recovery", c)
		}
	}
	seen := map[Role]bool{}
	for _, b := range EntryBase {
		seen[b.Role] = true
	}
	for _, k := range Kinds {
		if !seen[k.Role] {
			t.Errorf("kind %s: role %s has no entry base", k.ID, k.Role)
		}
	}
}

func TestDefaultEntry(t *testing.T) {
	lims := &Node{ID: "lims", Class: ClassService, Kind: "pathology"}
	gw := &Node{ID: "gw", Class: ClassService, Kind: "gateway"}
	sup := &Node{ID: "s", Class: ClassOrganisation, Kind: "supplier"}
	supMFA := &Node{ID: "s", Class: ClassOrganisation, Kind: "supplier", Controls: []string{"mfa", "patching"}}
	if a, b := DefaultEntry(gw, false), DefaultEntry(lims, false); a != b*InternetFacingFactor {
		t.Errorf("gateway %v, pathology %v (both applications): facing the internet should raise it", a, b)
	}
	if a, b := DefaultEntry(sup, true), DefaultEntry(sup, false); a != b*AccessFactor {
		t.Errorf("providing access %v, not %v", a, b)
	}
	if a, b := DefaultEntry(supMFA, false), DefaultEntry(sup, false); a >= b {
		t.Errorf("controls should cut entry: %v, without %v", a, b)
	}
	given := 0.3
	if EntryOf(&Node{Kind: "trust", Class: ClassOrganisation, Entry: &given}, true) != 0.3 {
		t.Error("a given entry is used as it is")
	}
}

// TestRiskTablesInDocs checks that docs/model.md holds the tables the
// declarations generate; -update rewrites them.
func TestRiskTablesInDocs(t *testing.T) {
	const file = "../docs/model.md"
	for _, c := range []struct{ name, want string }{{"controls", ControlTable()}, {"entry", EntryTable()}} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		doc := string(src)
		begin := "<!-- " + c.name + ": generated from model/risk.go; go test ./model/ -update rewrites it -->\n"
		end := "<!-- end " + c.name + " -->"
		i, j := strings.Index(doc, begin), strings.Index(doc, end)
		if i < 0 || j < i {
			t.Errorf("%s: no generated %s table between %q and %q", file, c.name, begin, end)
			continue
		}
		if got := doc[i+len(begin) : j]; got != c.want {
			if *update {
				if err := os.WriteFile(file, []byte(doc[:i+len(begin)]+c.want+doc[j:]), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			t.Errorf("%s: the %s table differs from the declaration; run go test ./model/ -update\ngot:\n%s\nwant:\n%s", file, c.name, got, c.want)
		}
	}
}

func TestParseEntry(t *testing.T) {
	src := "version: 1\norganisations:\n  - {id: a, kind: supplier, entry: 0.25}\n  - {id: b, kind: trust, entry: 1.5}\nservices:\n  - {id: s, kind: epr, entry: -0.1}\npolicies:\n  max_expected_organisations: -2\n"
	_, err := Parse("m.yaml", []byte(src))
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 3 {
		t.Fatalf("got %v, want three errors", err)
	}
	for i, want := range []string{"m.yaml:4:33: entry 1.5 is out of range", "m.yaml:6:31: entry -0.1 is out of range", "m.yaml:8:31: max_expected_organisations -2 is out of range"} {
		if got := list[i].Error(); !strings.HasPrefix(got, want) || !strings.Contains(got, "(") {
			t.Errorf("error %d: %q, want %q with a hint", i, got, want)
		}
	}
	m, err := Parse("m.yaml", []byte("version: 1\norganisations: [{id: a, kind: supplier, entry: 0.25}, {id: b, kind: trust}]\npolicies: {max_expected_organisations: 0.5}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if e := m.Organisations[0].Entry; e == nil || *e != 0.25 || m.Organisations[1].Entry != nil {
		t.Errorf("entry: %v, %v", m.Organisations[0].Entry, m.Organisations[1].Entry)
	}
	if p := m.Policies.MaxExpectedOrganisations; p == nil || *p != 0.5 {
		t.Errorf("max_expected_organisations: %v", p)
	}
}
