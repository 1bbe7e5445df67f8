package graph

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/blastradius/blastradius/model"
)

func loadExample(t *testing.T, name string) *Graph {
	t.Helper()
	m, err := model.Load("../examples/" + name)
	if err != nil {
		t.Fatal(err)
	}
	g, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestRankRiskCertain: with every likelihood 1, each node's expected
// organisations is its entry times Rank's organisations, exactly.
func TestRankRiskCertain(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for i := range 200 {
		m := randomModel(r)
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		mode := model.Modes[r.IntN(2)]
		rk, err := g.Rank(mode, Options{})
		if err != nil {
			t.Fatal(err)
		}
		rr, err := g.RankRisk(mode, nil, RiskOptions{Samples: 20})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]RankEntry{}
		for _, e := range rk.Ranking {
			want[e.ID] = e
		}
		for _, e := range rr.Ranking {
			w := want[e.ID]
			o := e.Entry * float64(w.Organisations)
			if !e.Certain || e.Summary != w.Summary || e.ExpectedOf(MeasureOrganisations).Mean != o || e.ExpectedOf(MeasureOrganisations).CI != (Interval{o, o}) {
				t.Fatalf("model %d: %s: %+v, rank %+v", i, e.ID, e, w)
			}
		}
	}
}

// TestRankRiskCommonWorlds: every node's expected radius is the mean that
// Simulate finds from it alone with the same seed and number of worlds,
// because both see the same worlds.
func TestRankRiskCommonWorlds(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	for i := range 40 {
		m := randomModel(r)
		withLikelihoods(r, m)
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		rr, err := g.RankRisk(model.Ransomware, nil, RiskOptions{Samples: 300, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range rr.Ranking {
			sm, err := g.Simulate([]string{e.ID}, model.Ransomware, nil, SimulateOptions{Samples: 300, Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			if d := e.ExpectedOf(MeasureOrganisations).Mean - e.Entry*sm.Of(MeasureOrganisations).Mean; d > 1e-9 || d < -1e-9 {
				t.Fatalf("model %d: %s: %v, simulate %v × %v", i, e.ID, e.ExpectedOf(MeasureOrganisations).Mean, e.Entry, sm.Of(MeasureOrganisations).Mean)
			}
		}
	}
}

// TestRiskWorkers: rank --risk and recommend give the same bytes whatever
// the number of workers.
func TestRiskWorkers(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	for i := range 20 {
		m := randomModel(r)
		withLikelihoods(r, m)
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		var first []byte
		for _, workers := range []int{1, 2, 5} {
			rr, err := g.RankRisk(model.Ransomware, nil, RiskOptions{Options: Options{Workers: workers}, Samples: 200, Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			rec, err := g.Recommend(model.Ransomware, RecommendOptions{Options: Options{Workers: workers}, Samples: 200, Seed: 3, Budget: 2})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal([]any{rr, rec})
			if first == nil {
				first = b
			} else if string(b) != string(first) {
				t.Fatalf("model %d: %d workers differ", i, workers)
			}
		}
	}
}

// TestSupplierMFALowersRisk: on the Synnovis example, a supplier gaining
// mfa lowers its own risk.
func TestSupplierMFALowersRisk(t *testing.T) {
	g := loadExample(t, "synnovis-2024.yaml")
	risk := func(r *Run) float64 {
		rr, err := g.RankRisk(model.Ransomware, r, RiskOptions{Samples: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range rr.Ranking {
			if e.ID == "synnovis" {
				return e.ExpectedOf(MeasureOrganisations).Mean
			}
		}
		t.Fatal("no synnovis")
		return 0
	}
	before, after := risk(nil), risk(&Run{AddControls: []NodeControl{{"synnovis", model.MFA}}})
	if !(after < before) {
		t.Errorf("synnovis with mfa: %v, without %v", after, before)
	}
}

// TestRecommendSynnovis: on the Synnovis example, MFA at the way in comes
// first: on the laboratory system, which the access system reaches.
func TestRecommendSynnovis(t *testing.T) {
	g := loadExample(t, "synnovis-2024.yaml")
	rec, err := g.Recommend(model.Ransomware, RecommendOptions{Budget: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Steps) == 0 {
		t.Fatal("no recommendation")
	}
	top := rec.Steps[0]
	if top.Kind != "add-control" || top.Control != model.MFA || top.ID != "synnovis-lims" {
		t.Errorf("first recommendation: %s, want mfa on synnovis-lims", top.Description)
	}
	for i, s := range rec.Steps {
		if s.Reduction <= 0 || s.ReductionCI[0] > s.Reduction || s.ReductionCI[1] < s.Reduction {
			t.Errorf("step %d: reduction %v in %v", i, s.Reduction, s.ReductionCI)
		}
		if i > 0 && math.Abs(s.Before-rec.Steps[i-1].After) > 1e-9 {
			t.Errorf("step %d starts at %v, the one before ended at %v", i, s.Before, rec.Steps[i-1].After)
		}
	}
	// For the scenario, the same change comes first.
	sc, err := g.Recommend(model.Ransomware, RecommendOptions{Seeds: []string{"synnovis-access"}, Budget: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Steps) != 1 || sc.Steps[0].ID != "synnovis-lims" || sc.Steps[0].Reduction != 12 {
		t.Errorf("scenario: %+v", sc.Steps)
	}
}

// TestCheckExpectedOrganisations: a limit below the whole interval fails,
// one inside it is inconclusive (a warning), one above it passes.
func TestCheckExpectedOrganisations(t *testing.T) {
	for _, c := range []struct {
		limit float64
		sev   Severity // "" for no finding
	}{{1.5, SeverityError}, {2, SeverityWarning}, {2.5, ""}} {
		m, err := model.Load("../testdata/risk/policy.yaml")
		if err != nil {
			t.Fatal(err)
		}
		m.Policies.MaxExpectedOrganisations = &c.limit
		r, err := Check(m, "2026-01-01")
		if err != nil {
			t.Fatal(err)
		}
		var got []Finding
		for _, f := range r.Findings {
			if f.Rule == "max_expected_organisations" {
				got = append(got, f)
			}
		}
		switch {
		case c.sev == "" && len(got) != 0:
			t.Errorf("limit %v: %v, want none", c.limit, got)
		case c.sev != "" && (len(got) != 1 || got[0].Severity != c.sev || got[0].ID != "supplier"):
			t.Errorf("limit %v: %+v, want one %s on supplier", c.limit, got, c.sev)
		}
	}
}

// TestRecommendShortcutsKeepChoice: trying options in order of their
// bound and stopping early, and after each change measuring again only the
// compromises it can change, chooses what trying them all after measuring
// everything again chooses, step after step, to the byte.
func TestRecommendShortcutsKeepChoice(t *testing.T) {
	r := rand.New(rand.NewPCG(27, 28))
	for i := range 200 {
		m := randomModel(r)
		withLikelihoods(r, m)
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		opt := RecommendOptions{Samples: 100, Seed: 5, Budget: 3}
		if r.IntN(3) == 0 {
			opt.Seeds = []string{m.Nodes()[r.IntN(len(m.Nodes()))].ID}
		}
		a, err := g.recommend(model.Ransomware, opt, true)
		if err != nil {
			t.Fatal(err)
		}
		b, err := g.recommend(model.Ransomware, opt, false)
		if err != nil {
			t.Fatal(err)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Fatalf("model %d: with shortcuts\n%s\nwithout\n%s", i, ja, jb)
		}
	}
}

// TestEntryAfterControl: adding a control multiplies a node's entry by the
// control's factor exactly, as Recommend assumes.
func TestEntryAfterControl(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 30))
	for range 200 {
		m := randomModel(r)
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		before, _, err := g.Entries(nil)
		if err != nil {
			t.Fatal(err)
		}
		n := m.Nodes()[r.IntN(len(m.Nodes()))]
		cs := recommendControls()
		c := cs[r.IntN(len(cs))]
		if n.Has(c) {
			continue
		}
		after, _, err := g.Entries(&Run{AddControls: []NodeControl{{n.ID, c}}})
		if err != nil {
			t.Fatal(err)
		}
		eff, _ := model.ControlEffectOf(c)
		v := g.index[n.ID]
		if after[v] != before[v]*eff.Entry {
			t.Fatalf("%s with %s: %v, want %v × %v", n.ID, c, after[v], before[v], eff.Entry)
		}
	}
}

// TestRecommendBoundsHold: no option cuts the objective by more than its
// bounds say, on random models, for every node as the seed and for one
// scenario, before and after a change is made: the bound of the
// compromises an option can change, and the scenario's bound of what
// lies downstream of where it acts.
func TestRecommendBoundsHold(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	checked := 0
	for i := range 300 {
		m := randomModel(r)
		withLikelihoods(r, m)
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		opt := RecommendOptions{Samples: 64 + r.IntN(100), Seed: 9, Measure: []Measure{MeasureOrganisations, MeasurePeople, MeasurePatients, MeasureDisrupted}[r.IntN(4)]}
		rc := &recommender{g: g, mode: model.Modes[r.IntN(2)], opt: opt, like: g.likelihoods()}
		rc.ends = g.uncertainEnds(rc.like)
		rc.dr = newDraws(opt.Seed, rc.like)
		if rc.batches, err = rc.dr.batches(opt.Options, opt.Samples); err != nil {
			t.Fatal(err)
		}
		if r.IntN(2) == 0 {
			rc.scenario = []int32{int32(r.IntN(g.Len()))}
		}
		run := &Run{}
		for round := range 2 {
			if err := rc.prepare(run, nil); err != nil {
				t.Fatal(err)
			}
			rc.before, _ = rc.total()
			cands := rc.candidates(run)
			if err := rc.measureBelow(cands); err != nil {
				t.Fatal(err)
			}
			st := rc.newState()
			for _, c := range cands {
				got, _, _, err := rc.evaluate(st, run, c, false)
				if err != nil {
					t.Fatal(err)
				}
				for _, b := range []float64{rc.bound(c), rc.spared(c)} {
					if got > b+1e-9 {
						t.Fatalf("model %d round %d, %s: cuts %v, bound %v\n%s", i, round, c.change, got, b, dump(m))
					}
				}
				seeds := rc.scenario
				if seeds == nil {
					seeds = rc.seeds[r.IntN(len(rc.seeds))]
				}
				checkDownstream(t, rc, run, c, seeds)
				checked++
			}
			if len(cands) == 0 {
				break
			}
			run = cands[r.IntN(len(cands))].apply(run)
		}
	}
	t.Logf("%d options checked", checked)
}

// checkDownstream checks the claim the scenario's bound rests on: in
// every world, a node whose effects the option changes lies downstream of
// where it acts.
func checkDownstream(t *testing.T, rc *recommender, run *Run, c option, seeds []int32) {
	t.Helper()
	g := rc.g
	near := map[int32]bool{}
	for _, v := range rc.actsOn(c) {
		if rc.inWorst[v] {
			for _, u := range rc.closure(newCloser(g.Len()), v) {
				near[u] = true
			}
		}
	}
	before, err := g.sampledWorld(run)
	if err != nil {
		t.Fatal(err)
	}
	after, err := g.sampledWorld(c.apply(run))
	if err != nil {
		t.Fatal(err)
	}
	wb, wa := newWorkspace(g), newWorkspace(g)
	b, a := *before, *after
	b.draws, a.draws = rc.dr, rc.dr
	wb.use(&b)
	wa.use(&a)
	for i := range 32 {
		b.draw, a.draw = rc.dr.world(uint64(i)), rc.dr.world(uint64(i))
		wb.run(seeds, rc.mode, false)
		wa.run(seeds, rc.mode, false)
		for v := range int32(g.Len()) {
			var x, y uint8
			if wb.seen[v] == wb.stamp {
				x = wb.bits[v]
			}
			if wa.seen[v] == wa.stamp {
				y = wa.bits[v]
			}
			if x != y && !near[v] {
				t.Fatalf("%s changes %s in world %d (%04b to %04b), which is not downstream of %v", c.change, g.nodes[v].ID, i, x, y, rc.actsOn(c))
			}
		}
	}
}
