package graph

import (
	"bytes"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/blastradius/blastradius/internal/synth"
	"github.com/blastradius/blastradius/model"
)

// The national model with likelihoods: generate --likelihoods, scale 1,
// seed 1 (the same organisations and dependencies as nationalModel's).
var nationalRisk struct {
	once  sync.Once
	stats synth.Stats
	g     *Graph
}

func nationalRiskModel(b *testing.B) (*Graph, synth.Stats) {
	b.Helper()
	nationalRisk.once.Do(func() {
		var buf bytes.Buffer
		st, err := synth.Generate(&buf, synth.Options{Scale: 1, Seed: 1, Likelihoods: true})
		if err != nil {
			panic(err)
		}
		m, err := model.Parse("national-risk.yaml", buf.Bytes())
		if err != nil {
			panic(err)
		}
		nationalRisk.stats = st
		if nationalRisk.g, err = Build(m); err != nil {
			panic(err)
		}
	})
	return nationalRisk.g, nationalRisk.stats
}

// BenchmarkSimulateLargestSupplier is 10,000 worlds from the largest
// supplier of the national model with likelihoods. The goal is under 5 s
// on 2 cores (networkx, one descendants call a world, takes about 90 s).
func BenchmarkSimulateLargestSupplier(b *testing.B) {
	g, st := nationalRiskModel(b)
	b.Logf("%d nodes, %d dependencies, %d workers; largest supplier %s", g.Len(), len(g.Model().Dependencies), runtime.GOMAXPROCS(0), st.LargestSupplier)
	simulateLargest(b, g, st.LargestSupplier)
}

// BenchmarkRankRisk is rank --risk's analysis with 1,000 worlds: every
// node of the national model with likelihoods as the seed in every world.
// The goal, end to end with loading, is under 120 s on 2 cores.
func BenchmarkRankRisk(b *testing.B) {
	g, _ := nationalRiskModel(b)
	defer cpuTime(b)()
	for b.Loop() {
		rr, err := g.RankRisk(model.Ransomware, nil, RiskOptions{Samples: 1000, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		certain := 0
		for _, e := range rr.Ranking {
			if e.Certain {
				certain++
			}
		}
		b.ReportMetric(float64(certain), "certain-nodes")
	}
}

// cpuTime reports, when the returned function runs, the CPU seconds the
// process used per operation: on a shared machine, where the wall clock
// counts other people's work too, this divided by the workers is what the
// analysis takes on its own cores.
func cpuTime(b *testing.B) func() {
	start := rusage()
	return func() {
		b.ReportMetric((rusage()-start).Seconds()/float64(b.N), "cpu-s/op")
	}
}

func rusage() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRecommendNational is recommend --budget 3 on the national model
// with likelihoods, 1,000 worlds: every node as the seed, the objective
// the expected organisations affected a year. The goal is under 60 s.
func BenchmarkRecommendNational(b *testing.B) {
	g, _ := nationalRiskModel(b)
	defer cpuTime(b)()
	for b.Loop() {
		rec, err := g.Recommend(model.Ransomware, RecommendOptions{Budget: 3, Samples: 1000, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range rec.Steps {
			b.Logf("%s: %.1f", s.Description, s.Reduction)
		}
		b.ReportMetric(float64(rec.Candidates), "candidates")
	}
}

// BenchmarkSimulateThirdUncertain is 10,000 worlds from the largest
// supplier of the plain national model with a likelihood on every third
// dependency (0.2 to 0.9, by its place in the file) and the rest certain:
// where the generator's seven in ten uncertain dependencies make most
// worlds small, here the certain core of every world is large. The goal is
// under 1 s beyond load, as for the generator's likelihoods.
func BenchmarkSimulateThirdUncertain(b *testing.B) {
	src, _, st := nationalModel(b)
	m, err := model.Parse("national.yaml", src)
	if err != nil {
		b.Fatal(err)
	}
	for i := range m.Dependencies {
		if i%3 == 0 {
			m.Dependencies[i].Likelihood = 0.2 + 0.7*float64(i/3%8)/7
		}
	}
	g, err := Build(m)
	if err != nil {
		b.Fatal(err)
	}
	simulateLargest(b, g, st.LargestSupplier)
}

// simulateLargest times 10,000 worlds of ransomware from supplier, with
// the CPU time, the mean organisations affected and the uncertain
// dependencies that can matter.
func simulateLargest(b *testing.B, g *Graph, supplier string) {
	defer cpuTime(b)()
	for b.Loop() {
		sm, err := g.Simulate([]string{supplier}, model.Ransomware, nil, SimulateOptions{Samples: 10_000, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(sm.Of(MeasureOrganisations).Mean, "orgs-mean")
		b.ReportMetric(float64(sm.Uncertain), "uncertain-deps")
	}
}
