package synth

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/blastradius/blastradius/model"
)

// national is the national model, scale 1, seed 1, parsed once for the
// tests of this package (generated once with Shared); -short skips the
// tests that need it.
var national struct {
	once  sync.Once
	m     *model.Model
	stats Stats
	err   error
}

func nationalModel(t *testing.T) (*model.Model, Stats) {
	t.Helper()
	if testing.Short() {
		t.Skip("generates the national model")
	}
	national.once.Do(func() {
		var src []byte
		if src, national.stats, national.err = Shared(Options{Scale: 1, Seed: 1}); national.err == nil {
			national.m, national.err = model.Parse("national.yaml", src)
		}
	})
	if national.err != nil {
		t.Fatalf("the national model: %v", national.err)
	}
	return national.m, national.stats
}

// TestShared: Shared gives what Generate writes, made once: the second call
// returns the same bytes, not a copy.
func TestShared(t *testing.T) {
	opt := Options{Scale: 1, Seed: 7, ICBs: 2}
	var want bytes.Buffer
	wantStats, _ := Generate(&want, opt)
	a, st, err := Shared(opt)
	if err != nil || !bytes.Equal(a, want.Bytes()) || st != wantStats {
		t.Fatalf("Shared differs from Generate (err %v, stats %+v and %+v)", err, st, wantStats)
	}
	if b, _, _ := Shared(opt); &b[0] != &a[0] {
		t.Error("a second call generated the model again")
	}
	if _, _, err := Shared(Options{}); err == nil {
		t.Error("scale 0: no error")
	}
}

// TestGenerateIsRepeatable: the same seed gives the same bytes and another
// seed other bytes (on a model of four ICBs: the generator is the same at
// any size).
func TestGenerateIsRepeatable(t *testing.T) {
	var a, b, c bytes.Buffer
	if _, err := Generate(&a, Options{Scale: 1, Seed: 1, ICBs: 4}); err != nil {
		t.Fatal(err)
	}
	Generate(&b, Options{Scale: 1, Seed: 1, ICBs: 4})
	Generate(&c, Options{Scale: 1, Seed: 2, ICBs: 4})
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same seed gave different models")
	}
	if bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Error("different seeds gave the same model")
	}
	if _, err := Generate(&a, Options{Scale: 0}); err == nil {
		t.Error("scale 0: no error")
	}
}

// TestGenerate: the national model is valid, has the shape of the NHS in
// England, every relation type, and the counts its stats say.
func TestGenerate(t *testing.T) {
	m, st := nationalModel(t)
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

// The split model, merged, is the model in one file, entry for entry, each
// entry in its ICB's file or the shared one.
func TestGenerateFilesMergeToGenerate(t *testing.T) {
	opt := Options{Scale: 1, Seed: 5, ICBs: 4}
	var one bytes.Buffer
	if _, err := Generate(&one, opt); err != nil {
		t.Fatal(err)
	}
	files, _, err := GenerateFiles(opt)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	a, err := model.Parse("one.yaml", one.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	b, err := model.LoadFiles(model.FSFiles(fsys), "model.yaml", model.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Files) != 6 || len(a.Warnings)+len(b.Warnings) > 0 {
		t.Fatalf("%d files, %d and %d warnings", len(b.Files), len(a.Warnings), len(b.Warnings))
	}
	an, bn := a.Nodes(), b.Nodes()
	if len(an) != len(bn) || len(a.Dependencies) != len(b.Dependencies) {
		t.Fatalf("%d and %d nodes, %d and %d dependencies", len(an), len(bn), len(a.Dependencies), len(b.Dependencies))
	}
	for i := range an {
		if an[i].ID != bn[i].ID || an[i].Kind != bn[i].Kind || strings.Join(an[i].Controls, ",") != strings.Join(bn[i].Controls, ",") {
			t.Fatalf("node %d: %s and %s", i, an[i].ID, bn[i].ID)
		}
		want := "shared.yaml"
		if id := bn[i].ID; strings.HasPrefix(id, "gp-001-") || id == "icb-001" || strings.HasPrefix(id, "trust-001-") {
			want = "icbs/icb-001.yaml"
		}
		if want == "icbs/icb-001.yaml" && bn[i].Pos.File != want || strings.HasPrefix(bn[i].ID, "sup-") && bn[i].Pos.File != want {
			t.Errorf("%s is in %s, want %s", bn[i].ID, bn[i].Pos.File, want)
		}
	}
	for i, d := range a.Dependencies {
		e := b.Dependencies[i]
		if d.From != e.From || d.To != e.To || d.Type != e.Type || d.Critical != e.Critical || strings.Join(d.Alternatives, ",") != strings.Join(e.Alternatives, ",") {
			t.Fatalf("dependency %d: %+v and %+v", i, d, e)
		}
	}
}

// BenchmarkLoadNational compares loading the national model from one file
// and from its 44 files.
func BenchmarkLoadNational(b *testing.B) {
	one, _, err := Shared(Options{Scale: 1, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	files, _, err := GenerateFiles(Options{Scale: 1, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	b.Run("one-file", func(b *testing.B) {
		for b.Loop() {
			if _, err := model.Parse("national.yaml", one); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("split", func(b *testing.B) {
		for b.Loop() {
			if _, err := model.LoadFiles(model.FSFiles(fsys), "model.yaml", model.Limits{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestGenerateLikelihoods: with likelihoods the model is the same but for
// them, valid, and most dependencies are uncertain; on four ICBs, and at
// national size unless -short.
func TestGenerateLikelihoods(t *testing.T) {
	t.Run("icbs-4", func(t *testing.T) {
		opt := Options{Scale: 1, Seed: 3, ICBs: 4}
		var a bytes.Buffer
		if _, err := Generate(&a, opt); err != nil {
			t.Fatal(err)
		}
		plain, err := model.Parse("a.yaml", a.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		checkLikelihoods(t, plain, opt)
	})
	t.Run("national", func(t *testing.T) {
		plain, _ := nationalModel(t)
		checkLikelihoods(t, plain, Options{Scale: 1, Seed: 1})
	})
}

// checkLikelihoods compares plain, the model generated with opt, with the
// model generated with opt and likelihoods.
func checkLikelihoods(t *testing.T, plain *model.Model, opt Options) {
	t.Helper()
	opt.Likelihoods = true
	var b bytes.Buffer
	if _, err := Generate(&b, opt); err != nil {
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

// TestGenerateTime: with time the model is the same but for the keys of
// time, valid and deterministic, and it gives a timeline what it reads:
// recoveries on nearly every node (not the ICBs), activity on every
// organisation that delivers care, tolerances on most, and shares on most
// service dependencies.
func TestGenerateTime(t *testing.T) {
	opt := Options{Scale: 1, Seed: 3, ICBs: 4}
	var a, b, c bytes.Buffer
	if _, err := Generate(&a, opt); err != nil {
		t.Fatal(err)
	}
	opt.Time = true
	Generate(&b, opt)
	Generate(&c, opt)
	if !bytes.Equal(b.Bytes(), c.Bytes()) {
		t.Error("the same seed gave different models with time")
	}
	if !strings.Contains(b.String(), "# blastradius generate --scale 1 --seed 3 --time --icbs 4\n") {
		t.Errorf("the header does not say --time:\n%s", b.String()[:200])
	}
	plain, err := model.Parse("a.yaml", a.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	timed, err := model.Parse("b.yaml", b.Bytes())
	if err != nil {
		t.Fatalf("generated model is invalid: %v", err)
	}
	if len(timed.Warnings) > 0 {
		t.Errorf("warnings: %v", timed.Warnings[0])
	}
	pn, tn := plain.Nodes(), timed.Nodes()
	if len(pn) != len(tn) || len(plain.Dependencies) != len(timed.Dependencies) {
		t.Fatalf("%d and %d nodes, %d and %d dependencies", len(pn), len(tn), len(plain.Dependencies), len(timed.Dependencies))
	}
	recovered, active, tolerant := 0, 0, 0
	for i, n := range tn {
		p := pn[i]
		if n.ID != p.ID || n.Kind != p.Kind || n.Patients != p.Patients || strings.Join(n.Controls, ",") != strings.Join(p.Controls, ",") {
			t.Fatalf("node %d: %+v and %+v", i, n, p)
		}
		if p.Recovery != nil || p.Activity != nil || p.Tolerance != nil {
			t.Fatalf("%s has time without --time", p.ID)
		}
		if r := n.Recovery; r != nil {
			recovered++
			if r.Min < 1 || r.Min > r.Likely || r.Likely >= r.Max {
				t.Errorf("%s: recovery %+v", n.ID, r)
			}
		}
		if n.Kind == "icb" && (n.Activity != nil || n.Recovery != nil) {
			t.Errorf("ICB %s has time", n.ID)
		}
		if n.Class == model.ClassOrganisation && n.Kind != "icb" && n.Kind != "supplier" {
			if len(n.Activity) == 0 || n.Activity[0].PerDay <= 0 {
				t.Errorf("%s (%s): activity %+v", n.ID, n.Kind, n.Activity)
			}
			active++
		}
		if n.Tolerance != nil {
			tolerant++
		}
	}
	if recovered < len(tn)*9/10 || active == 0 || tolerant < active/2 || tolerant == active {
		t.Errorf("%d of %d nodes with a recovery, %d with activity, %d with a tolerance", recovered, len(tn), active, tolerant)
	}
	shared, buffered, services := 0, 0, 0
	for i, d := range timed.Dependencies {
		p := plain.Dependencies[i]
		if d.From != p.From || d.To != p.To || d.Type != p.Type || d.Critical != p.Critical || p.Share != nil || p.Buffer != 0 {
			t.Fatalf("dependency %d differs: %+v, %+v", i, d, p)
		}
		if d.Type != model.Service {
			if d.Share != nil || d.Buffer != 0 {
				t.Errorf("%s → %s (%s): share or buffer", d.From, d.To, d.Type)
			}
			continue
		}
		services++
		if d.Share != nil {
			shared++
		}
		if d.Buffer > 0 {
			buffered++
		}
	}
	if shared < services/2 || buffered == 0 {
		t.Errorf("%d of %d service dependencies with a share, %d with a buffer", shared, services, buffered)
	}
}

// TestGenerateFewICBs: a model of one to five ICBs, with every option, is
// valid: with one pathology network there is no neighbour to stand in.
func TestGenerateFewICBs(t *testing.T) {
	for n := 1; n <= 5; n++ {
		var buf bytes.Buffer
		if _, err := Generate(&buf, Options{Scale: 1, Seed: 1, ICBs: n, Likelihoods: true, Time: true, Strain: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := model.Parse(fmt.Sprintf("icbs-%d.yaml", n), buf.Bytes()); err != nil {
			t.Errorf("%d ICBs: %v", n, err)
		}
	}
}
