package timeline

import (
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// TestAdviseSynnovis: on the Synnovis example, Advise puts first the
// change that, tried alone with a graph built from the applied model,
// saves the most activity of all its candidates, and that change is a new
// aid link that saves some.
func TestAdviseSynnovis(t *testing.T) {
	m, err := model.Load("../examples/synnovis-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := m.Scenario("Qilin ransomware, June 2024")
	g, err := graph.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Mode: s.Mode, Scenario: s.Name, Start: s.Start}
	adv, err := Advise(g, s.Seeds(), opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	base, err := Compute(g, s.Seeds(), opt)
	if err != nil {
		t.Fatal(err)
	}
	cands := Candidates(g, base)
	if len(cands) != adv.Tried || len(cands) == 0 {
		t.Fatalf("%d candidates, Advise tried %d", len(cands), adv.Tried)
	}
	lost := func(tl *Timeline) float64 {
		x := 0.0
		for _, v := range tl.Totals.ActivityLost {
			x += v
		}
		return x
	}
	best, bestSaved := "", 0.0
	kinds := map[model.ChangeKind]int{}
	for _, c := range cands {
		kinds[c.Kind]++
		cg, err := graph.Build(m.Apply([]model.Change{c}))
		if err != nil {
			t.Fatal(err)
		}
		tl, err := Compute(cg, s.Seeds(), opt)
		if err != nil {
			t.Fatal(err)
		}
		if saved := lost(base) - lost(tl); saved > bestSaved+1e-6 {
			best, bestSaved = c.String(), saved
		}
	}
	if kinds[model.AddAid] == 0 || kinds[model.SetStock] != 1 {
		t.Errorf("candidates by kind %v: want aid links and the one stock", kinds)
	}
	if len(adv.Advice) == 0 {
		t.Fatal("no advice")
	}
	first := adv.Advice[0]
	if first.Words != best || first.Change.Kind != model.AddAid || bestSaved <= 0 {
		t.Errorf("first %q saving %v; trying each alone, the best is %q saving %v", first.Words, first.ActivitySavedTotal, best, bestSaved)
	}
	if d := first.ActivitySavedTotal - bestSaved; d > 1e-6 || d < -1e-6 {
		t.Errorf("first saves %v, tried alone %v", first.ActivitySavedTotal, bestSaved)
	}
	// The stock made larger saves no activity but strained days, so it
	// ranks after every change that saves activity.
	for i, a := range adv.Advice {
		if a.Change.Kind == model.SetStock {
			if a.StrainedDaysSaved <= 0 {
				t.Errorf("a larger stock saves %d strained days", a.StrainedDaysSaved)
			}
			for _, b := range adv.Advice[i+1:] {
				if b.ActivitySavedTotal > a.ActivitySavedTotal+1e-9 {
					t.Errorf("%q ranks after %q, which saves less activity", b.Words, a.Words)
				}
			}
		}
	}
	// Deterministic: the same advice again.
	again, _ := Advise(g, s.Seeds(), opt, nil)
	for i := range adv.Advice {
		if again.Advice[i].Words != adv.Advice[i].Words {
			t.Errorf("advice %d: %q, then %q", i, adv.Advice[i].Words, again.Advice[i].Words)
		}
	}
}
