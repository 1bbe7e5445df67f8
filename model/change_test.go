package model_test

import (
	"testing"

	"github.com/blastradius/blastradius/model"
)

// Every kind of change says itself in one wording, the one recommend's
// advice and the explorer's what-ifs show.
func TestChangeWords(t *testing.T) {
	for _, c := range []struct {
		change model.Change
		want   string
	}{
		{model.Change{Kind: model.AddControl, ID: "gstt", Control: "mfa"}, "add mfa to gstt"},
		{model.Change{Kind: model.RemoveControl, ID: "gstt", Control: "mfa"}, "remove mfa from gstt"},
		{model.Change{Kind: model.RemoveDependency, From: "gstt", To: "lims", Type: model.Service}, "remove the service dependency of gstt on lims"},
		{model.Change{Kind: model.RemoveDependency, From: "gstt", To: "lims"}, "remove every dependency of gstt on lims"},
		{model.Change{Kind: model.AddDependency, Dependency: &model.Dependency{From: "a", To: "b", Type: model.Service, Alternatives: []string{"c", "d"}, Likelihood: 0.5}},
			"add a service dependency of a on b, not critical, with c and d as alternatives, likelihood 0.5"},
		{model.Change{Kind: model.AddDependency, Dependency: &model.Dependency{From: "a", To: "b", Type: model.Data, Likelihood: 1}}, "add a data dependency of a on b"},
		{model.Change{Kind: model.AddAlternative, From: "gstt", To: "lims", Alternative: "barts"}, "give gstt barts as an alternative to lims"},
		{model.Change{Kind: model.AddAlternative, From: "gstt", To: "lims"}, "give gstt an alternative to lims (a second provider or a fallback that a compromise does not reach)"},
		{model.Change{Kind: model.AddAid, From: "gstt", To: "lgt-lab", Aid: &model.Aid{After: 3, Headroom: 0.05, Shed: 0.1}}, "make lgt-lab a helper of gstt from day 3, headroom 0.05, shed 0.1"},
		{model.Change{Kind: model.AddAid, From: "gstt", To: "lgt-lab", Aid: &model.Aid{For: 6, Shed: 0.2}}, "make lgt-lab a helper of gstt from day 0 for 6 days, shed 0.2"},
		{model.Change{Kind: model.SetStock, ID: "o-neg", Stock: &model.Stock{Days: 8, Alert: 2}}, "hold 8 days of o-neg, alert below 2"},
		{model.Change{Kind: model.SetStock, ID: "o-neg", Stock: &model.Stock{Days: -1, Alert: 3}}, "keep the days of o-neg, alert below 3"},
	} {
		if got := c.change.String(); got != c.want {
			t.Errorf("%s: got %q, want %q", c.change.Kind, got, c.want)
		}
	}
	if len(model.ChangeKinds) != 7 {
		t.Errorf("%d kinds, want the seven an assume: block states", len(model.ChangeKinds))
	}
}

// Apply makes removals first whatever the order of the list: a control
// taken away and given back ends up there, a dependency removed and added
// again is there.
func TestApplyOrder(t *testing.T) {
	m, err := model.Parse("m.yaml", []byte("version: 1\norganisations:\n  - {id: a, kind: trust, controls: [mfa]}\nservices:\n  - {id: s, kind: pathology}\ndependencies:\n  - {from: a, to: s, type: service}\n"))
	if err != nil {
		t.Fatal(err)
	}
	add := &model.Dependency{From: "a", To: "s", Type: model.Service, Critical: false, Likelihood: 1}
	out := m.Apply([]model.Change{
		{Kind: model.AddControl, ID: "a", Control: "mfa"},
		{Kind: model.AddDependency, From: "a", To: "s", Type: model.Service, Dependency: add},
		{Kind: model.RemoveControl, ID: "a", Control: "mfa"},
		{Kind: model.RemoveDependency, From: "a", To: "s"},
	})
	if n := out.Node("a"); !n.Has("mfa") {
		t.Errorf("controls %v, want mfa given back", n.Controls)
	}
	if len(out.Dependencies) != 1 || out.Dependencies[0] != add {
		t.Errorf("dependencies %v, want the one added", out.Dependencies)
	}
	if len(m.Dependencies) != 1 || !m.Dependencies[0].Critical || !m.Node("a").Has("mfa") {
		t.Error("Apply changed the model it was given")
	}
}
