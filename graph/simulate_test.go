package graph

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// withLikelihoods gives some of m's dependencies a likelihood below 1.
func withLikelihoods(r *rand.Rand, m *model.Model) {
	for _, d := range m.Dependencies {
		switch r.IntN(4) {
		case 0:
			d.Likelihood = 1
		case 1:
			d.Likelihood = []float64{0.2, 0.5, 0.9}[r.IntN(3)]
		default:
			d.Likelihood = 0.05 + 0.9*r.Float64()
		}
	}
}

// TestSimulateCertainIsReach: with every likelihood 1, every chance is 0 or
// 1, the nodes are Reach's, and every world's radius is Reach's.
func TestSimulateCertainIsReach(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 300 {
		m := randomModel(r)
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		seeds := []string{m.Nodes()[r.IntN(len(m.Nodes()))].ID}
		mode := model.Modes[r.IntN(2)]
		im, err := g.Reach(seeds, mode)
		if err != nil {
			t.Fatal(err)
		}
		sm, err := g.Simulate(seeds, mode, nil, SimulateOptions{Samples: 50, Seed: uint64(i)})
		if err != nil {
			t.Fatal(err)
		}
		if len(sm.Nodes) != len(im.Affected) || sm.Uncertain != 0 {
			t.Fatalf("model %d: %d nodes, reach %d", i, len(sm.Nodes), len(im.Affected))
		}
		for _, n := range sm.Nodes {
			a := im.Of(n.ID)
			if a == nil || n.Affected != 1 {
				t.Fatalf("model %d: %s affected %v, reach %v", i, n.ID, n.Affected, a)
			}
			want := EffectChances{}
			for _, e := range a.Effects {
				switch e {
				case Compromised:
					want.Compromised = 1
				case Disrupted:
					want.Disrupted = 1
				case Degraded:
					want.Degraded = 1
				case Exposed:
					want.Exposed = 1
				}
			}
			if n.Effects != want {
				t.Fatalf("model %d: %s effects %+v, reach %v", i, n.ID, n.Effects, a.Effects)
			}
		}
		o := float64(im.Summary.Organisations)
		if sm.Of(MeasureOrganisations) != (Distribution{o, Interval{o, o}, o, o, o}) {
			t.Fatalf("model %d: organisations %+v, reach %v", i, sm.Of(MeasureOrganisations), o)
		}
		if p := float64(im.Summary.People); sm.Of(MeasurePeople).Mean != p || sm.Of(MeasurePeople).Max != p {
			t.Fatalf("model %d: people %+v, reach %v", i, sm.Of(MeasurePeople), p)
		}
	}
}

// TestExactMatchesEnumeration checks exact enumeration, which reads only
// the dependencies that matter, against every world of every uncertain
// dependency, each analysed by ReachWith with the dead ones masked.
func TestExactMatchesEnumeration(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	checked := 0
	for i := 0; checked < 150; i++ {
		m := randomModel(r)
		withLikelihoods(r, m)
		var unc []int
		for d, dep := range m.Dependencies {
			if dep.Likelihood < 1 {
				unc = append(unc, d)
			}
		}
		if len(unc) > 10 {
			continue
		}
		checked++
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		seeds := []string{m.Nodes()[r.IntN(len(m.Nodes()))].ID}
		mode := model.Modes[r.IntN(2)]
		sm, err := g.Simulate(seeds, mode, nil, SimulateOptions{Exact: true})
		if err != nil {
			t.Fatal(err)
		}
		affected := map[string]float64{}
		var orgs float64
		for w := range 1 << len(unc) {
			run := &Run{}
			p := 1.0
			for b, d := range unc {
				if w>>b&1 == 1 {
					p *= m.Dependencies[d].Likelihood
				} else {
					p *= 1 - m.Dependencies[d].Likelihood
					run.Mask = append(run.Mask, d)
				}
			}
			im, err := g.ReachWith(seeds, mode, run)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range im.Affected {
				affected[a.ID] += p
			}
			orgs += p * float64(im.Summary.Organisations)
		}
		for _, n := range sm.Nodes {
			if math.Abs(n.Affected-affected[n.ID]) > 1e-9 {
				t.Fatalf("model %d: %s exact %v, enumeration %v", i, n.ID, n.Affected, affected[n.ID])
			}
			delete(affected, n.ID)
		}
		for id, p := range affected {
			if p > 1e-12 {
				t.Fatalf("model %d: %s affected with %v, not in the simulation", i, id, p)
			}
		}
		if math.Abs(sm.Of(MeasureOrganisations).Mean-orgs) > 1e-9 {
			t.Fatalf("model %d: mean organisations %v, enumeration %v", i, sm.Of(MeasureOrganisations).Mean, orgs)
		}
	}
}

// coverage samples many random models and counts how often the sampler's
// 95% intervals hold the exact chance, for nodes whose exact chance is
// strictly between 0 and 1. bias, if set, changes the sampler's
// likelihoods.
func coverage(t *testing.T, bias func(float64) float64) (covered, total, models int) {
	covered, total, models, _, _ = coverageWithMeans(t, bias)
	return covered, total, models
}

// coverageWithMeans is coverage, and also counts how often the interval of
// the mean organisations affected holds the exact mean, where the radius
// varies.
func coverageWithMeans(t *testing.T, bias func(float64) float64) (covered, total, models, meansCovered, means int) {
	r := rand.New(rand.NewPCG(11, 12))
	for i := 0; models < 200; i++ {
		m := randomModel(r)
		withLikelihoods(r, m)
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		seeds := []string{m.Nodes()[r.IntN(len(m.Nodes()))].ID}
		mode := model.Modes[r.IntN(2)]
		ex, err := g.Simulate(seeds, mode, nil, SimulateOptions{Exact: true})
		var tooMany *TooUncertainError
		if errors.As(err, &tooMany) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		like := g.likelihoods()
		for d := range like {
			like[d] = bias(like[d])
		}
		sm, err := g.simulate(seeds, mode, nil, SimulateOptions{Samples: 2000, Seed: uint64(i)}, like)
		if err != nil {
			t.Fatal(err)
		}
		exact := map[string]SimNode{}
		for _, n := range ex.Nodes {
			exact[n.ID] = n
		}
		counted := false
		for _, n := range sm.Nodes {
			e := exact[n.ID]
			for _, c := range [][2]float64{
				{e.Affected, 0}, {e.Effects.Compromised, 1}, {e.Effects.Disrupted, 2}, {e.Effects.Degraded, 3}, {e.Effects.Exposed, 4},
			} {
				p := c[0]
				if p <= 1e-12 || p >= 1-1e-12 {
					continue
				}
				iv := [...]Interval{n.AffectedCI, n.EffectsCI.Compromised, n.EffectsCI.Disrupted, n.EffectsCI.Degraded, n.EffectsCI.Exposed}[int(c[1])]
				total++
				counted = true
				if iv[0] <= p && p <= iv[1] {
					covered++
				}
			}
		}
		if counted {
			models++
		}
		if iv := sm.Of(MeasureOrganisations).MeanCI; iv[1] > iv[0] {
			means++
			if m := ex.Of(MeasureOrganisations).Mean; iv[0] <= m && m <= iv[1] {
				meansCovered++
			}
		}
	}
	return covered, total, models, meansCovered, means
}

// TestSamplerCoversExact: over 200 random models, the sampler's 95%
// intervals hold the exact chance at about their stated rate.
func TestSamplerCoversExact(t *testing.T) {
	if testing.Short() {
		t.Skip("a statistical test of 200 models: run without -short (.ci/run does)")
	}
	covered, total, _, mc, means := coverageWithMeans(t, func(p float64) float64 { return p })
	rate := float64(covered) / float64(total)
	t.Logf("%d of %d intervals hold the exact chance (%.3f)", covered, total, rate)
	if total < 200 || rate < 0.90 {
		t.Fatalf("%d of %d intervals hold the exact chance (%.3f); want at least 0.90", covered, total, rate)
	}
	mrate := float64(mc) / float64(means)
	t.Logf("%d of %d intervals hold the exact mean organisations (%.3f)", mc, means, mrate)
	if means < 100 || mrate < 0.90 {
		t.Fatalf("%d of %d intervals hold the exact mean organisations (%.3f); want at least 0.90", mc, means, mrate)
	}
}

// TestCoverageDetectsBias: the same check fails a sampler that squares
// every likelihood, so the check above has teeth.
func TestCoverageDetectsBias(t *testing.T) {
	if testing.Short() {
		t.Skip("a statistical test of 200 models: run without -short (.ci/run does)")
	}
	covered, total, _ := coverage(t, func(p float64) float64 { return p * p })
	rate := float64(covered) / float64(total)
	t.Logf("biased: %d of %d intervals hold the exact chance (%.3f)", covered, total, rate)
	if rate >= 0.90 {
		t.Fatalf("a sampler that squares likelihoods passed the coverage check (%.3f)", rate)
	}
}

// TestSimulateWorkers: the same seed gives the same bytes whatever the
// number of workers, with and without a precision to stop at.
func TestSimulateWorkers(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for i := range 30 {
		m := randomModel(r)
		withLikelihoods(r, m)
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		seeds := []string{m.Nodes()[r.IntN(len(m.Nodes()))].ID}
		var first []byte
		for _, workers := range []int{1, 2, 3, 8} {
			sm, err := g.Simulate(seeds, model.Ransomware, nil, SimulateOptions{Options: Options{Workers: workers}, Samples: 3000, Seed: 42, Precision: 0.02})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(sm)
			if first == nil {
				first = b
			} else if string(b) != string(first) {
				t.Fatalf("model %d: %d workers gave\n%s\nnot\n%s", i, workers, b, first)
			}
		}
	}
}

// TestSimulateExactRefuses: above MaxExact uncertain dependencies that
// matter, exact enumeration says so.
func TestSimulateExactRefuses(t *testing.T) {
	m := &model.Model{Name: "chain"}
	for i := range MaxExact + 2 {
		id := string(rune('a'+i/26)) + string(rune('a'+i%26))
		m.Organisations = append(m.Organisations, &model.Node{ID: id, Name: id, Class: model.ClassOrganisation, Kind: "trust"})
		if i > 0 {
			m.Dependencies = append(m.Dependencies, &model.Dependency{From: id, To: m.Organisations[i-1].ID, Type: model.Hosting, Critical: true, Likelihood: 0.5})
		}
	}
	g, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	_, err = g.Simulate([]string{"aa"}, model.Ransomware, nil, SimulateOptions{Exact: true})
	var tooMany *TooUncertainError
	if !errors.As(err, &tooMany) || tooMany.Count != MaxExact+1 {
		t.Fatalf("got %v, want too uncertain with %d", err, MaxExact+1)
	}
	sm, err := g.Simulate([]string{"aa"}, model.Ransomware, nil, SimulateOptions{Samples: 4000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// The chain's k-th node is affected with 0.5^k.
	for _, n := range sm.Nodes {
		k := float64(int(n.ID[0]-'a')*26 + int(n.ID[1]-'a'))
		if p := math.Pow(0.5, k); p < n.AffectedCI[0]-0.01 || p > n.AffectedCI[1]+0.01 {
			t.Errorf("%s: %v outside %v", n.ID, p, n.AffectedCI)
		}
	}
}

func TestWilson(t *testing.T) {
	// Known values: 0 of 10 gives [0, 0.2775]; 5 of 10 gives [0.2366, 0.7634].
	for _, c := range []struct{ k, n, lo, hi float64 }{{0, 10, 0, 0.2775}, {5, 10, 0.2366, 0.7634}, {10, 10, 0.7225, 1}} {
		iv := Wilson(c.k, c.n)
		if math.Abs(iv[0]-c.lo) > 1e-4 || math.Abs(iv[1]-c.hi) > 1e-4 {
			t.Errorf("Wilson(%v, %v) = %v, want [%v, %v]", c.k, c.n, iv, c.lo, c.hi)
		}
	}
}

// TestSimulateProgress: progress counts worlds, up to the number drawn.
func TestSimulateProgress(t *testing.T) {
	g := loadExample(t, "alder-hey-gateway-2024.yaml")
	var mu sync.Mutex
	last, total := 0, 0
	_, err := g.Simulate([]string{"digital-gateway"}, model.Ransomware, nil, SimulateOptions{Samples: 2500, Options: Options{Progress: func(d, n int) {
		mu.Lock()
		defer mu.Unlock()
		last, total = max(last, d), n
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if last != 2500 || total != 2500 {
		t.Errorf("progress reached %d of %d, want 2500 of 2500", last, total)
	}
}

// TestSimulatePrecision: with a precision, the simulation stops at a batch
// boundary with every interval narrower than asked, or at the most worlds.
func TestSimulatePrecision(t *testing.T) {
	g := loadExample(t, "alder-hey-gateway-2024.yaml")
	for _, e := range []float64{0.05, 0.02, 0.01} {
		sm, err := g.Simulate([]string{"digital-gateway"}, model.Ransomware, nil, SimulateOptions{Samples: 100_000, Precision: e, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if sm.Samples%BatchSize != 0 || sm.Samples >= 100_000 {
			t.Errorf("precision %v: stopped after %d worlds", e, sm.Samples)
		}
		for _, n := range sm.Nodes {
			for _, iv := range []Interval{n.AffectedCI, n.EffectsCI.Compromised, n.EffectsCI.Disrupted, n.EffectsCI.Degraded, n.EffectsCI.Exposed} {
				if iv.HalfWidth() >= e {
					t.Errorf("precision %v: %s has %v after %d worlds", e, n.ID, iv, sm.Samples)
				}
			}
		}
		// One batch fewer would not have been precise enough.
		if sm.Samples > BatchSize {
			less, _ := g.Simulate([]string{"digital-gateway"}, model.Ransomware, nil, SimulateOptions{Samples: sm.Samples - BatchSize, Seed: 1})
			wide := false
			for _, n := range less.Nodes {
				wide = wide || n.AffectedCI.HalfWidth() >= e || n.EffectsCI.Exposed.HalfWidth() >= e || n.EffectsCI.Compromised.HalfWidth() >= e ||
					n.EffectsCI.Disrupted.HalfWidth() >= e || n.EffectsCI.Degraded.HalfWidth() >= e
			}
			if !wide {
				t.Errorf("precision %v: %d worlds were enough, but it drew %d", e, less.Samples, sm.Samples)
			}
		}
	}
}
