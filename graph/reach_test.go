package graph

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// parse builds a graph from YAML given as compact lines, for tables.
func parse(t testing.TB, src string) *Graph {
	t.Helper()
	m, err := model.Parse("test.yaml", []byte("version: 1\n"+src))
	if err != nil {
		t.Fatalf("model: %v", err)
	}
	g, err := Build(m)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return g
}

// outcome renders an impact as "id=impact[+effect...]" sorted by id, so that
// each row states every affected node and nothing else.
func outcome(im *Impact) string {
	var parts []string
	for _, a := range im.Affected {
		s := a.ID + "=" + a.Impact.String()
		for _, e := range a.Effects {
			if e != a.Impact {
				s += "+" + e.String()
			}
		}
		parts = append(parts, s)
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

const orgs4 = `organisations:
  - {id: a, kind: trust}
  - {id: b, kind: trust}
  - {id: c, kind: trust}
  - {id: d, kind: trust}
`

func TestReachRules(t *testing.T) {
	tests := []struct {
		name  string
		model string
		seeds string
		mode  model.Mode
		want  string
	}{
		// Operator → its service.
		{"operator compromised puts its service in C", `organisations: [{id: op, kind: supplier}]
services: [{id: s, kind: epr, operator: op}]`, "op", model.Ransomware, "op=compromised s=compromised"},
		{"operator compromised in exfiltration", `organisations: [{id: op, kind: supplier}]
services: [{id: s, kind: epr, operator: op}]`, "op", model.Exfiltration, "op=compromised s=compromised"},
		{"service compromised leaves its operator alone", `organisations: [{id: op, kind: supplier}]
services: [{id: s, kind: epr, operator: op}]`, "s", model.Ransomware, "s=compromised"},
		{"operator down (not compromised) takes its service down", `organisations: [{id: op, kind: supplier}, {id: x, kind: supplier}]
services: [{id: s, kind: epr, operator: op}]
dependencies: [{from: op, to: x, type: service}]`, "x", model.Ransomware, "op=disrupted s=disrupted x=compromised"},

		// service
		{"critical service: provider down disrupts the consumer", orgs4 + `dependencies: [{from: a, to: b, type: service}]`, "b", model.Ransomware, "a=disrupted b=compromised"},
		{"non-critical service: provider down degrades the consumer", orgs4 + `dependencies: [{from: a, to: b, type: service, critical: false}]`, "b", model.Ransomware, "a=degraded b=compromised"},
		{"service does not spread compromise in exfiltration", orgs4 + `dependencies: [{from: a, to: b, type: service}]`, "b", model.Exfiltration, "b=compromised"},
		{"service carries outage down a chain", orgs4 + `dependencies: [{from: a, to: b, type: service}, {from: b, to: c, type: service}]`, "c", model.Ransomware, "a=disrupted b=disrupted c=compromised"},
		{"service: consumer down does not affect the provider", orgs4 + `dependencies: [{from: a, to: b, type: service}]`, "a", model.Ransomware, "a=compromised"},
		{"degradation does not spread", orgs4 + `dependencies: [{from: a, to: b, type: service, critical: false}, {from: c, to: a, type: service}]`, "b", model.Ransomware, "a=degraded b=compromised"},

		// data
		{"data: provider compromised exposes the consumer", orgs4 + `dependencies: [{from: a, to: b, type: data}]`, "b", model.Ransomware, "a=exposed b=compromised"},
		{"data: exposure in exfiltration", orgs4 + `dependencies: [{from: a, to: b, type: data}]`, "b", model.Exfiltration, "a=exposed b=compromised"},
		{"data: provider merely down exposes nothing", orgs4 + `dependencies: [{from: a, to: b, type: data}, {from: b, to: c, type: service}]`, "c", model.Ransomware, "b=disrupted c=compromised"},
		{"data carries no outage and no compromise", orgs4 + `dependencies: [{from: a, to: b, type: data}, {from: c, to: a, type: service}]`, "b", model.Ransomware, "a=exposed b=compromised"},

		// access
		{"access: provider compromises the consumer", orgs4 + `dependencies: [{from: a, to: b, type: access}]`, "b", model.Exfiltration, "a=compromised b=compromised"},
		{"access: mfa on the consumer stops it", `organisations: [{id: a, kind: trust, controls: [mfa]}, {id: b, kind: supplier}]
dependencies: [{from: a, to: b, type: access}]`, "b", model.Ransomware, "b=compromised"},
		{"access: mfa on the provider does not stop it", `organisations: [{id: a, kind: trust}, {id: b, kind: supplier, controls: [mfa]}]
dependencies: [{from: a, to: b, type: access}]`, "b", model.Ransomware, "a=compromised b=compromised"},
		{"access: one way only", orgs4 + `dependencies: [{from: a, to: b, type: access}]`, "a", model.Ransomware, "a=compromised"},
		{"access: segmentation does not stop it", `organisations: [{id: a, kind: trust, controls: [segmentation]}, {id: b, kind: supplier}]
dependencies: [{from: a, to: b, type: access}]`, "b", model.Ransomware, "a=compromised b=compromised"},

		// network
		{"network: from provider to consumer", orgs4 + `dependencies: [{from: a, to: b, type: network}]`, "b", model.Ransomware, "a=compromised b=compromised"},
		{"network: from consumer to provider", orgs4 + `dependencies: [{from: a, to: b, type: network}]`, "a", model.Ransomware, "a=compromised b=compromised"},
		{"network: segmentation blocks the way in", `organisations: [{id: a, kind: trust, controls: [segmentation]}, {id: b, kind: trust}]
dependencies: [{from: a, to: b, type: network}]`, "b", model.Ransomware, "b=compromised"},
		{"network: segmentation does not block the way out", `organisations: [{id: a, kind: trust, controls: [segmentation]}, {id: b, kind: trust}]
dependencies: [{from: a, to: b, type: network}]`, "a", model.Ransomware, "a=compromised b=compromised"},
		{"network: mfa does not stop it", `organisations: [{id: a, kind: trust, controls: [mfa]}, {id: b, kind: trust}]
dependencies: [{from: a, to: b, type: network}]`, "b", model.Ransomware, "a=compromised b=compromised"},
		{"network: carries no outage", orgs4 + `dependencies: [{from: a, to: b, type: network}, {from: c, to: d, type: service}]
`, "d", model.Ransomware, "c=disrupted d=compromised"},

		// hosting
		{"hosting: provider compromised compromises the consumer", orgs4 + `dependencies: [{from: a, to: b, type: hosting}]`, "b", model.Exfiltration, "a=compromised b=compromised"},
		{"hosting: mfa does not stop it", `organisations: [{id: a, kind: trust, controls: [mfa, segmentation]}, {id: b, kind: supplier}]
dependencies: [{from: a, to: b, type: hosting}]`, "b", model.Ransomware, "a=compromised b=compromised"},
		{"hosting: provider down takes the consumer down", orgs4 + `dependencies: [{from: a, to: b, type: hosting}, {from: b, to: c, type: service}]`, "c", model.Ransomware, "a=disrupted b=disrupted c=compromised"},
		{"hosting: non-critical has no say", orgs4 + `dependencies: [{from: a, to: b, type: hosting, critical: false}, {from: b, to: c, type: service}]`, "c", model.Ransomware, "a=disrupted b=disrupted c=compromised"},
		{"hosting: consumer does not affect the provider", orgs4 + `dependencies: [{from: a, to: b, type: hosting}]`, "a", model.Ransomware, "a=compromised"},

		// alternatives
		{"alternative up: degraded, not disrupted", orgs4 + `dependencies: [{from: a, to: b, type: service, alternatives: [c]}]`, "b", model.Ransomware, "a=degraded b=compromised"},
		{"every alternative down: disrupted", orgs4 + `dependencies: [{from: a, to: b, type: service, alternatives: [c]}]`, "b,c", model.Ransomware, "a=disrupted b=compromised c=compromised"},
		{"alternative down later in the chain", orgs4 + `dependencies: [{from: a, to: b, type: service, alternatives: [c]}, {from: c, to: d, type: service}]`, "b,d", model.Ransomware, "a=disrupted b=compromised c=disrupted d=compromised"},
		{"one of two alternatives up", orgs4 + `dependencies: [{from: a, to: b, type: service, alternatives: [c, d]}]`, "b,c", model.Ransomware, "a=degraded b=compromised c=compromised"},
		{"alternative down but provider up: unaffected", orgs4 + `dependencies: [{from: a, to: b, type: service, alternatives: [c]}]`, "c", model.Ransomware, "c=compromised"},
		{"alternatives do not stop hosting outages", orgs4 + `dependencies: [{from: a, to: b, type: hosting, alternatives: [c]}]`, "b", model.Ransomware, "a=compromised b=compromised"},

		// least fixed points and cycles
		{"service cycle without a seed stays up", orgs4 + `dependencies: [{from: a, to: b, type: service}, {from: b, to: a, type: service}, {from: c, to: d, type: data}]`, "d", model.Ransomware, "c=exposed d=compromised"},
		{"service cycle fed by a seed goes down and ends", orgs4 + `dependencies: [{from: a, to: b, type: service}, {from: b, to: a, type: service}, {from: a, to: c, type: service}]`, "c", model.Ransomware, "a=disrupted b=disrupted c=compromised"},
		{"alternatives for each other: least fixed point keeps both up", orgs4 + `dependencies: [{from: a, to: c, type: service, alternatives: [b]}, {from: b, to: c, type: service, alternatives: [a]}]`, "c", model.Ransomware, "a=degraded b=degraded c=compromised"},
		{"network cycle compromises the ring", orgs4 + `dependencies: [{from: a, to: b, type: network}, {from: b, to: c, type: network}, {from: c, to: a, type: network}]`, "a", model.Exfiltration, "a=compromised b=compromised c=compromised"},
		{"access cycle", orgs4 + `dependencies: [{from: a, to: b, type: access}, {from: b, to: a, type: access}]`, "a", model.Ransomware, "a=compromised b=compromised"},

		// modes and seeds
		{"exfiltration: nothing goes down", orgs4 + `dependencies: [{from: a, to: b, type: service}, {from: c, to: b, type: hosting}, {from: d, to: b, type: data}]`, "b", model.Exfiltration, "b=compromised c=compromised d=exposed"},
		{"several seeds", orgs4 + `dependencies: [{from: a, to: b, type: service}, {from: c, to: d, type: data}]`, "b,d", model.Ransomware, "a=disrupted b=compromised c=exposed d=compromised"},
		{"a seed named twice counts once", orgs4, "a,a", model.Ransomware, "a=compromised"},
		{"compromised node is never also exposed", orgs4 + `dependencies: [{from: a, to: b, type: data}, {from: a, to: b, type: access}]`, "b", model.Ransomware, "a=compromised b=compromised"},
		{"disrupted and exposed", orgs4 + `dependencies: [{from: a, to: b, type: data}, {from: a, to: b, type: service}]`, "b", model.Ransomware, "a=disrupted+exposed b=compromised"},
		{"degraded and exposed", orgs4 + `dependencies: [{from: a, to: b, type: data}, {from: a, to: b, type: service, critical: false}]`, "b", model.Ransomware, "a=degraded+exposed b=compromised"},
		{"disrupted wins over degraded", orgs4 + `dependencies: [{from: a, to: b, type: service, critical: false}, {from: a, to: c, type: service}]`, "b,c", model.Ransomware, "a=disrupted b=compromised c=compromised"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := parse(t, tt.model)
			im, err := g.Reach(strings.Split(tt.seeds, ","), tt.mode)
			if err != nil {
				t.Fatal(err)
			}
			if got := outcome(im); got != tt.want {
				t.Errorf("Reach(%s, %s)\n got: %s\nwant: %s", tt.seeds, tt.mode, got, tt.want)
			}
			if got := outcome(naiveReach(g, im.Seeds, tt.mode)); got != tt.want {
				t.Errorf("naive reference disagrees with the table\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

func TestReachPaths(t *testing.T) {
	g := parse(t, orgs4+`services: [{id: s, kind: epr, operator: d}]
dependencies:
  - {from: a, to: s, type: service}
  - {from: a, to: b, type: service}
  - {from: b, to: c, type: service}
  - {from: c, to: s, type: service}
  - {from: b, to: s, type: data}
`)
	im, err := g.Reach([]string{"d"}, model.Ransomware)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"d": "d",
		"s": "d -operator-> s",
		"a": "d -operator-> s -service-> a", // shorter than through c and b
		"c": "d -operator-> s -service-> c",
		"b": "d -operator-> s -service-> c -service-> b", // explains disrupted, not exposed
	}
	for _, a := range im.Affected {
		var b strings.Builder
		for i, id := range a.Path {
			if i > 0 {
				fmt.Fprintf(&b, " -%s-> ", a.Via[i-1])
			}
			b.WriteString(id)
		}
		if b.String() != want[a.ID] {
			t.Errorf("path of %s = %s, want %s", a.ID, b.String(), want[a.ID])
		}
	}
	if im.Summary.Organisations != 4 || im.Summary.Disrupted != 3 || im.Summary.Exposed != 1 || im.Summary.Compromised != 1 || im.Summary.Services != 1 {
		t.Errorf("summary = %+v", im.Summary)
	}
}

func TestReachErrors(t *testing.T) {
	g := parse(t, orgs4)
	if _, err := g.Reach(nil, model.Ransomware); err == nil {
		t.Error("no seeds: want an error")
	}
	_, err := g.Reach([]string{"bb"}, model.Ransomware)
	var u *UnknownIDError
	if !asError(err, &u) || u.ID != "bb" || u.Suggestion != "b" {
		t.Errorf("unknown seed: got %v", err)
	}
	if _, err := g.Reach([]string{"a"}, "wiper"); err == nil {
		t.Error("unknown mode: want an error")
	}
}

func TestReachSummaryCountsOrganisationsOnly(t *testing.T) {
	g := parse(t, `organisations:
  - {id: a, kind: trust, patients: 100}
  - {id: b, kind: supplier, patients: 5}
services: [{id: s, kind: epr, operator: b}]
dependencies: [{from: a, to: s, type: service}, {from: a, to: s, type: data}]`)
	im, _ := g.Reach([]string{"b"}, model.Ransomware)
	want := Summary{Organisations: 2, People: 100, Patients: 105, Compromised: 1, Disrupted: 1, Exposed: 1, Services: 1}
	if im.Summary != want {
		t.Errorf("summary = %+v, want %+v", im.Summary, want)
	}
	if got := []string{im.Affected[0].ID, im.Affected[1].ID, im.Affected[2].ID}; !slices.Equal(got, []string{"b", "s", "a"}) {
		t.Errorf("order = %v, want severity then id", got)
	}
}
