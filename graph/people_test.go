package graph

import (
	"path/filepath"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// TestPeopleCountsEachPersonOnce checks each rule of counting people on a
// small area: GP lists add up, other figures overlap, an ICB caps its members
// and ICBs add up.
func TestPeopleCountsEachPersonOnce(t *testing.T) {
	m, err := model.Parse("people.yaml", []byte(`version: 1
organisations:
  - {id: north, kind: icb, patients: 1000}
  - {id: south, kind: icb}
  - {id: gp-a, kind: gp-practice, icb: north, patients: 400}
  - {id: gp-b, kind: gp-practice, icb: north, patients: 500}
  - {id: gp-c, kind: gp-practice, icb: north, patients: 300}
  - {id: trust-n, kind: trust, icb: north, patients: 700}
  - {id: trust-s, kind: trust, icb: south, patients: 2000}
  - {id: mh-s, kind: mental-health, icb: south, patients: 300}
  - {id: lab, kind: supplier, patients: 50}
  - {id: east, kind: icb, patients: 0}
  - {id: gp-e, kind: gp-practice, icb: east, patients: 100}
  - {id: west, kind: icb, patients: 3000}
  - {id: amb, kind: ambulance, icb: [north, west], patients: 600}
  - {id: amb-s, kind: ambulance, icb: [west, south], patients: 601}
  - {id: amb2, kind: ambulance, icb: {north: 100, west: 200}}
  - {id: nat, kind: trust, patients: 5000}
`))
	if err != nil {
		t.Fatal(err)
	}
	g, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		ids  []string
		want int64
	}{
		{"lists partition the population", []string{"gp-a", "gp-b"}, 900},
		{"an ICB caps its members", []string{"gp-a", "gp-b", "gp-c"}, 1000},
		{"a catchment overlaps the lists", []string{"gp-a", "trust-n"}, 700},
		{"lists beyond the largest catchment count", []string{"gp-a", "gp-b", "trust-n"}, 900},
		{"catchments overlap each other", []string{"trust-s", "mh-s"}, 2000},
		{"an ICB's own figure is a bound, not people", []string{"north"}, 0},
		{"an ICB without a figure caps nothing", []string{"south", "trust-s"}, 2000},
		{"ICBs add up", []string{"gp-a", "trust-s"}, 2400},
		{"a figure without an ICB overlaps the ICBs' people", []string{"lab", "gp-a"}, 400},
		{"a larger figure without an ICB is the floor", []string{"nat", "gp-a", "trust-s"}, 5000},
		{"an ICB's 0 is a figure", []string{"gp-e"}, 0},
		{"a regional figure is split by population", []string{"amb"}, 600},
		{"a regional share overlaps within each ICB", []string{"amb", "trust-n"}, 700 + 450},
		{"split equally without a population, the remainder first", []string{"amb-s", "trust-s"}, 301 + 2000},
		{"people per ICB are counted there", []string{"amb2", "gp-a", "gp-b"}, 900 + 200},
		{"an id twice counts once", []string{"gp-a", "gp-a"}, 400},
	} {
		got, _, err := g.People(tc.ids)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("%s: People(%v) = %d, want %d", tc.name, tc.ids, got, tc.want)
		}
	}
	_, areas, _ := g.People([]string{"lab", "gp-c", "trust-s", "north"})
	want := []Area{
		{ICB: "north", Population: 1000, PopulationGiven: true, Organisations: 2, People: 300},
		{ICB: "south", Organisations: 1, People: 2000},
		{Organisations: 1, People: 50},
	}
	if len(areas) != len(want) {
		t.Fatalf("areas = %+v, want %+v", areas, want)
	}
	for i := range want {
		want[i].Name = want[i].ICB
		if areas[i] != want[i] {
			t.Errorf("area %d = %+v, want %+v", i, areas[i], want[i])
		}
	}
	if _, _, err := g.People([]string{"nosuch"}); err == nil {
		t.Error("People accepted an unknown id")
	}
}

// TestPeopleNeverExceedsAnICB runs every seed of the examples: inside one
// ICB, people never exceed its population, and never exceed the sum of the
// organisations' own figures.
func TestPeopleNeverExceedsAnICB(t *testing.T) {
	for _, path := range examplePaths(t) {
		m, err := model.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		for _, mode := range model.Modes {
			rk, err := g.Rank(mode, RankOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range rk.Ranking {
				if e.People > e.Patients {
					t.Errorf("%s %s %s: people %d > patients %d", path, mode, e.ID, e.People, e.Patients)
				}
				im, _ := g.Reach([]string{e.ID}, mode)
				var ids []string
				for _, a := range im.Affected {
					ids = append(ids, a.ID)
				}
				total, areas, _ := g.People(ids)
				if total != e.People {
					t.Errorf("%s %s %s: People() = %d, summary %d", path, mode, e.ID, total, e.People)
				}
				for _, a := range areas {
					if a.Population > 0 && a.People > a.Population {
						t.Errorf("%s %s %s: %d people in %s, population %d", path, mode, e.ID, a.People, a.ICB, a.Population)
					}
				}
			}
		}
	}
}

func examplePaths(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../examples/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	return files
}

// TestPeopleSynnovis pins the figure the walkthrough shows: the six
// boroughs' GP lists add up to more than South East London ICB's population,
// which caps them.
func TestPeopleSynnovis(t *testing.T) {
	m, err := model.Load("../examples/synnovis-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	g, _ := Build(m)
	im, err := g.Reach([]string{"synnovis"}, model.Ransomware)
	if err != nil {
		t.Fatal(err)
	}
	if im.Summary.People != 1_900_000 {
		t.Errorf("people = %d, want 1,900,000 (the ICB's population)", im.Summary.People)
	}
	if im.Summary.Patients <= im.Summary.People {
		t.Errorf("patients %d should exceed people %d: the figures overlap", im.Summary.Patients, im.Summary.People)
	}
}

// TestPeopleInChokepointsAndDiff checks that every analysis that shows a
// number of people counts it as People does: a dominator's people are
// People of the organisations it shelters, a change spares the fall in the
// scenario's people, and diff's people before and after are rank's.
func TestPeopleInChokepointsAndDiff(t *testing.T) {
	for _, path := range examplePaths(t) {
		m, err := model.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		g, _ := Build(m)
		for _, s := range m.Scenarios {
			cp, err := g.Chokepoints(s.Seeds(), s.Mode, nil, 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range cp.Dominators {
				want, _, _ := g.People(d.Dominates)
				if d.People != want {
					t.Errorf("%s %q: dominator %s shelters %d people, People says %d", path, s.Name, d.ID, d.People, want)
				}
				if d.People > cp.Summary.People {
					t.Errorf("%s %q: dominator %s shelters %d people, more than the scenario's %d", path, s.Name, d.ID, d.People, cp.Summary.People)
				}
			}
			for _, c := range cp.Changes {
				if c.People < 0 || c.People > cp.Summary.People {
					t.Errorf("%s %q: %s spares %d people of %d", path, s.Name, c.Change, c.People, cp.Summary.People)
				}
			}
		}
	}
	m, err := model.Load("../examples/synnovis-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	g, _ := Build(m)
	cp, err := g.Chokepoints([]string{"synnovis-access"}, model.Ransomware, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(cp.Changes) == 0 || cp.Changes[0].People != 1_900_000 || cp.Changes[0].Organisations != 12 {
		t.Errorf("best change %+v, want one that spares 12 organisations and 1,900,000 people", cp.Changes)
	}
	wide, err := model.Load("../testdata/widened/synnovis-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Diff(m, wide, "2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	wg, _ := Build(wide)
	for _, r := range d.BlastRadius {
		before, _ := g.Reach([]string{r.ID}, r.Mode)
		after, _ := wg.Reach([]string{r.ID}, r.Mode)
		if r.PeopleBefore != before.Summary.People || r.PeopleAfter != after.Summary.People {
			t.Errorf("diff %s %s: people %d to %d, reach says %d to %d", r.ID, r.Mode, r.PeopleBefore, r.PeopleAfter, before.Summary.People, after.Summary.People)
		}
	}
	if len(d.BlastRadius) == 0 {
		t.Error("the widened model changes no blast radius")
	}
}

// TestPeopleNotes checks that every figure the count cannot bound, or only
// estimates, is named with its reason, and nothing else.
func TestPeopleNotes(t *testing.T) {
	m, err := model.Parse("notes.yaml", []byte(`version: 1
organisations:
  - {id: north, kind: icb, patients: 1000}
  - {id: south, kind: icb}
  - {id: gp-n, kind: gp-practice, icb: north, patients: 400}
  - {id: gp-s, kind: gp-practice, icb: south, patients: 300}
  - {id: loose, kind: trust, patients: 900}
  - {id: nhse, kind: national-body, patients: 5000}
  - {id: lab, kind: supplier}
  - {id: amb, kind: ambulance, icb: [north, south], patients: 600}
  - {id: amb2, kind: ambulance, icb: {north: 1, south: 2}}
`))
	if err != nil {
		t.Fatal(err)
	}
	g, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	reasons := func(ids ...string) map[string]string {
		var v []int32
		for _, id := range ids {
			v = append(v, g.index[id])
		}
		out := map[string]string{}
		for _, n := range g.peopleNotes(v) {
			out[n.ID] = n.Reason
		}
		return out
	}
	for _, tc := range []struct {
		ids  []string
		want map[string]string
	}{
		{[]string{"gp-n", "lab", "nhse", "amb2"}, map[string]string{"south": PeopleICBWithoutPatients}},
		{[]string{"gp-n"}, map[string]string{}},
		{[]string{"loose"}, map[string]string{"loose": PeopleNoICB}},
		{[]string{"gp-s"}, map[string]string{"south": PeopleICBWithoutPatients}},
		{[]string{"amb"}, map[string]string{"amb": PeopleSplitEqually, "south": PeopleICBWithoutPatients}},
	} {
		got := reasons(tc.ids...)
		if len(got) != len(tc.want) {
			t.Errorf("%v: notes %v, want %v", tc.ids, got, tc.want)
			continue
		}
		for id, r := range tc.want {
			if got[id] != r {
				t.Errorf("%v: notes %v, want %v", tc.ids, got, tc.want)
			}
		}
	}
}
