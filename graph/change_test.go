package graph

import (
	"slices"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// A scenario's changes mean the same made by Model.Apply, on a graph built
// again, and compiled by RunOf, on the graph as it is; a dependency added
// is the one change RunOf refuses. The changes apply whatever their order.
func TestRunOfAgreesWithApply(t *testing.T) {
	m, err := model.Load("../explore/testdata/every-assumption.yaml")
	if err != nil {
		t.Fatal(err)
	}
	g, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range m.Scenarios {
		changes := s.Assume.Changes()
		if len(changes) == 0 {
			continue
		}
		applied, err := Build(m.Apply(changes))
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		want, err := applied.Reach(s.Seeds(), s.Mode)
		if err != nil {
			t.Fatal(err)
		}
		reversed := slices.Clone(changes)
		slices.Reverse(reversed)
		again, _ := Build(m.Apply(reversed))
		if got, _ := again.Reach(s.Seeds(), s.Mode); outcome(got) != outcome(want) {
			t.Errorf("%s: the changes in reverse give %v, want %v", s.Name, outcome(got), outcome(want))
		}
		adds := slices.ContainsFunc(changes, func(c model.Change) bool { return c.Kind == model.AddDependency })
		run, err := g.RunOf(changes)
		if adds {
			if err == nil {
				t.Errorf("%s: RunOf made a dependency added", s.Name)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		got, err := g.ReachWith(s.Seeds(), s.Mode, run)
		if err != nil {
			t.Fatal(err)
		}
		if outcome(got) != outcome(want) {
			t.Errorf("%s: RunOf gives %v, Apply %v", s.Name, outcome(got), outcome(want))
		}
		if outcome(got) == outcome(g.mustReach(t, s.Seeds(), s.Mode)) {
			t.Errorf("%s: the changes change nothing, so the test shows nothing", s.Name)
		}
	}
}

func (g *Graph) mustReach(t *testing.T, seeds []string, mode model.Mode) *Impact {
	t.Helper()
	im, err := g.Reach(seeds, mode)
	if err != nil {
		t.Fatal(err)
	}
	return im
}

// Recommend's advice is a model.Change: its words are the model's, and
// each step, compiled by RunOf, cuts the radius as the step says.
func TestAdviceIsAModelChange(t *testing.T) {
	g := loadExample(t, "synnovis-2024.yaml")
	seeds := []string{"synnovis-access"}
	rec, err := g.Recommend(model.Ransomware, RecommendOptions{Budget: 3, Samples: 50, Seed: 1, Seeds: seeds})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Steps) == 0 {
		t.Fatal("no advice")
	}
	var changes []model.Change
	for _, s := range rec.Steps {
		c := s.Change.Model()
		if s.Description != c.String() {
			t.Errorf("step %q, its change says %q", s.Description, c)
		}
		changes = append(changes, c)
	}
	run, err := g.RunOf(changes)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := g.Reach(seeds, model.Ransomware)
	after, err := g.ReachWith(seeds, model.Ransomware, run)
	if err != nil {
		t.Fatal(err)
	}
	if after.Summary.Organisations >= before.Summary.Organisations {
		t.Errorf("the advice leaves %d organisations affected, of %d", after.Summary.Organisations, before.Summary.Organisations)
	}
}

// RunOf refuses the changes that only a graph built anew can make: an
// aid link added and a stock changed.
func TestRunOfRefusesCapacity(t *testing.T) {
	m, err := model.Parse("m.yaml", []byte("version: 1\norganisations:\n  - {id: a, kind: trust}\nservices:\n  - {id: s, kind: pathology}\n  - {id: blood, kind: stock, stock: {days: 6}}\ndependencies:\n  - {from: a, to: s, type: service}\n"))
	if err != nil {
		t.Fatal(err)
	}
	g, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []model.Change{
		{Kind: model.AddAid, From: "a", To: "s", Aid: &model.Aid{Headroom: 0.1}},
		{Kind: model.SetStock, ID: "blood", Stock: &model.Stock{Days: 8, Alert: -1}},
	} {
		if _, err := g.RunOf([]model.Change{c}); err == nil {
			t.Errorf("%s: RunOf made it on the graph as built", c)
		}
	}
}
