package timeline

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

func sampled(t *testing.T, m *model.Model, seeds []string, opt SampleOptions) *Timeline {
	t.Helper()
	g, err := graph.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	tl, err := Compute(g, seeds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tl.Sample(opt); err != nil {
		t.Fatal(err)
	}
	return tl
}

// TestSamplesReproducible: the same seed gives the same answer whatever
// the number of workers; another seed gives another.
func TestSamplesReproducible(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	differs := 0
	for range 40 {
		m := randomModel(r, true)
		seeds := seedsOf(r, m)
		js := func(workers int, seed uint64) string {
			tl := sampled(t, m, seeds, SampleOptions{Options: graph.Options{Workers: workers}, Samples: 300, Seed: seed})
			b, err := json.Marshal(tl.Samples)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		one := js(1, 7)
		if four := js(4, 7); four != one {
			t.Fatalf("1 worker: %s\n4 workers: %s", one, four)
		}
		if js(1, 8) != one {
			differs++
		}
	}
	if differs == 0 {
		t.Errorf("every seed gave the same answer")
	}
}

// TestSamplesCertain: with every likelihood 1 and recoveries known
// exactly, every world is the timeline itself.
func TestSamplesCertain(t *testing.T) {
	b := newModel()
	b.org("lab").Recovery = days(10)
	c := b.org("c")
	c.Activity = []model.Activity{{Unit: "tests", PerDay: 20}}
	b.dep("c", "lab", model.Service).Share = ptr(0.5)
	tl := sampled(t, b.m, []string{"lab"}, SampleOptions{Samples: 50, Seed: 1})
	s := tl.Samples
	if s.Back.P50 != 10 || s.Back.P90 != 10 || s.Back.P90CI != [2]Days{10, 10} || s.ActivityLost["tests"].P50 != 100 || s.NotBack != 0 {
		t.Errorf("samples %+v", s)
	}
}

// TestSamplesTriangular: recoveries drawn from min, likely, max fall in
// the range, and their median is near the distribution's.
func TestSamplesTriangular(t *testing.T) {
	b := newModel()
	b.org("lab").Recovery = &model.Recovery{Min: 10, Likely: 20, Max: 60}
	tl := sampled(t, b.m, []string{"lab"}, SampleOptions{Samples: 4000, Seed: 3})
	s := tl.Samples
	// The median of triangular(10, 20, 60): 60 − √(0.5·50·40) = 28.38;
	// the back day is the ceiling of the draw.
	if s.Back.P50 < 27 || s.Back.P50 > 31 || s.Back.P50CI[0] > s.Back.P50 || s.Back.P50CI[1] < s.Back.P50 {
		t.Errorf("median back %v %v", s.Back.P50, s.Back.P50CI)
	}
	if s.Back.P90 > 60 || s.Back.P90 < s.Back.P50 {
		t.Errorf("p90 %v", s.Back.P90)
	}
	// Without recovery no world is back, and the quantiles say so.
	b2 := newModel()
	b2.org("lab")
	tl = sampled(t, b2.m, []string{"lab"}, SampleOptions{Samples: 10, Seed: 3})
	if tl.Samples.NotBack != 10 || !math.IsInf(float64(tl.Samples.Back.P50), 1) {
		t.Errorf("no recovery: %+v", tl.Samples)
	}
	js, _ := json.Marshal(tl.Samples.Back)
	if string(js) != `{"p50":null,"p50_ci":[null,null],"p90":null,"p90_ci":[null,null]}` {
		t.Errorf("json %s", js)
	}
}

func TestTriangular(t *testing.T) {
	for _, c := range [][4]float64{{0, 10, 20, 30}, {0.5, 10, 20, 30}, {1, 10, 20, 30}, {0.5, 5, 5, 5}, {0.25, 0, 0, 4}} {
		got := triangular(c[0], c[1], c[2], c[3])
		if got < c[1] || got > c[3] {
			t.Errorf("triangular%v = %v, outside the range", c, got)
		}
	}
	if got := triangular(0.5, 10, 20, 30); got != 20 {
		t.Errorf("median of a symmetric triangle %v", got)
	}
}

// TestSameWorldsAsSimulate: in world i under a seed, the nodes at 0 on
// day 0 (every share and buffer at its default) are those that world of
// graph.Simulate puts down, so the counts over the worlds are equal.
func TestSameWorldsAsSimulate(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	const worlds = 200
	checked := 0
	for range 60 {
		m := randomModel(r, false)
		for _, d := range m.Dependencies {
			if r.IntN(2) == 0 {
				d.Likelihood = r.Float64()
			}
		}
		g, err := graph.Build(m)
		if err != nil {
			t.Fatal(err)
		}
		seeds := seedsOf(r, m)
		sm, err := g.Simulate(seeds, model.Ransomware, nil, graph.SimulateOptions{Samples: worlds, Seed: 5, Options: graph.Options{Workers: 1}})
		if err != nil {
			t.Fatal(err)
		}
		idx, _ := g.Resolve(seeds)
		w := g.Worlds(5)
		e := newEngine(g)
		zero := map[string]int{}
		for i := range worlds {
			e.collect(idx, model.Ransomware, w, w.Key(i))
			e.keep = true
			e.run(1)
			for p, v := range e.nodes {
				if e.hist[p] == 0 {
					zero[g.Node(v).ID]++
				}
			}
		}
		for _, n := range sm.Nodes {
			down := int(math.Round((n.Effects.Compromised + n.Effects.Disrupted) * worlds))
			if down != zero[n.ID] {
				t.Fatalf("seeds %v: %s down in %d of simulate's worlds, at 0 in %d of the timeline's", seeds, n.ID, down, zero[n.ID])
			}
			delete(zero, n.ID)
			checked++
		}
		for id, k := range zero {
			t.Fatalf("%s at 0 in %d worlds, never affected in simulate's", id, k)
		}
	}
	if checked < 100 {
		t.Fatalf("only %d nodes checked", checked)
	}
}
