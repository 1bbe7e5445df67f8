package synth

import (
	"bytes"
	"testing"

	"github.com/blastradius/blastradius/model"
)

func TestGenerate(t *testing.T) {
	var a, b, c bytes.Buffer
	st, err := Generate(&a, Options{Scale: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	Generate(&b, Options{Scale: 1, Seed: 1})
	Generate(&c, Options{Scale: 1, Seed: 2})
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same seed gave different models")
	}
	if bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Error("different seeds gave the same model")
	}
	m, err := model.Parse("national.yaml", a.Bytes())
	if err != nil {
		t.Fatalf("generated model is invalid: %v", err)
	}
	if len(m.Warnings) > 0 {
		t.Errorf("warnings: %v", m.Warnings[0])
	}
	kinds := map[string]int{}
	for _, o := range m.Organisations {
		kinds[o.Kind]++
	}
	if kinds["icb"] != 42 || kinds["gp-practice"] != 6300 || kinds["trust"] < 126 || kinds["mental-health"] != 42 || kinds["community"] != 42 || kinds["ambulance"] != 10 {
		t.Errorf("kinds: %v", kinds)
	}
	if n := len(m.Organisations) + len(m.Services); n < 30000 || n != st.Organisations+st.Services {
		t.Errorf("%d nodes, stats say %d", n, st.Organisations+st.Services)
	}
	if len(m.Dependencies) < 200000 || len(m.Dependencies) != st.Dependencies {
		t.Errorf("%d dependencies, stats say %d", len(m.Dependencies), st.Dependencies)
	}
	types := map[model.Relation]int{}
	for _, d := range m.Dependencies {
		types[d.Type]++
	}
	for _, r := range model.Relations {
		if types[r] == 0 {
			t.Errorf("no %s dependency", r)
		}
	}
	if _, err := Generate(&a, Options{Scale: 0}); err == nil {
		t.Error("scale 0: no error")
	}
}

func TestGenerateScaleTwoHasNoWarnings(t *testing.T) {
	if testing.Short() {
		t.Skip("a 30 MB model")
	}
	var a bytes.Buffer
	if _, err := Generate(&a, Options{Scale: 2, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	m, err := model.Parse("x2.yaml", a.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Warnings) > 0 {
		t.Errorf("%d warnings, first %v", len(m.Warnings), m.Warnings[0])
	}
}

// TestGenerateLikelihoods: with likelihoods the model is the same but for
// them, valid, and most dependencies are uncertain.
func TestGenerateLikelihoods(t *testing.T) {
	var a, b bytes.Buffer
	if _, err := Generate(&a, Options{Scale: 1, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(&b, Options{Scale: 1, Seed: 3, Likelihoods: true}); err != nil {
		t.Fatal(err)
	}
	plain, err := model.Parse("a.yaml", a.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	risk, err := model.Parse("b.yaml", b.Bytes())
	if err != nil {
		t.Fatalf("generated model is invalid: %v", err)
	}
	if len(plain.Dependencies) != len(risk.Dependencies) {
		t.Fatalf("%d dependencies, with likelihoods %d", len(plain.Dependencies), len(risk.Dependencies))
	}
	uncertain := 0
	for i, d := range risk.Dependencies {
		p := plain.Dependencies[i]
		if d.From != p.From || d.To != p.To || d.Type != p.Type || p.Likelihood != 1 {
			t.Fatalf("dependency %d differs: %+v, %+v", i, d, p)
		}
		if d.Likelihood < 1 {
			uncertain++
		}
	}
	if uncertain < len(risk.Dependencies)/2 {
		t.Errorf("%d of %d dependencies uncertain", uncertain, len(risk.Dependencies))
	}
}
