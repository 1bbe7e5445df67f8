package timeline

import (
	"bytes"
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/synth"
	"github.com/blastradius/blastradius/model"
)

// The national model with time data, as "blastradius generate --time"
// writes it (scale 1, seed 1): three-point recoveries, activity and
// tolerances by kind of organisation, shares and buffers on service
// dependencies.
var national struct {
	once  sync.Once
	g     *graph.Graph
	stats synth.Stats
}

func nationalModel(b *testing.B) (*graph.Graph, synth.Stats) {
	b.Helper()
	national.once.Do(func() {
		var buf bytes.Buffer
		st, err := synth.Generate(&buf, synth.Options{Scale: 1, Seed: 1, Time: true})
		if err != nil {
			panic(err)
		}
		m, err := model.Parse("national.yaml", buf.Bytes())
		if err != nil {
			panic(err)
		}
		national.stats = st
		if national.g, err = graph.Build(m); err != nil {
			panic(err)
		}
	})
	return national.g, national.stats
}

// The national model with strain, as "blastradius generate --time
// --strain" writes it: the model above with mutual aid between pathology
// networks and a national blood stock.
var nationalStrain struct {
	once sync.Once
	g    *graph.Graph
	st   synth.Stats
}

func nationalStrainModel(b *testing.B) (*graph.Graph, synth.Stats) {
	b.Helper()
	nationalStrain.once.Do(func() {
		var buf bytes.Buffer
		st, err := synth.Generate(&buf, synth.Options{Scale: 1, Seed: 1, Time: true, Strain: true})
		if err != nil {
			panic(err)
		}
		m, err := model.Parse("national-strain.yaml", buf.Bytes())
		if err != nil {
			panic(err)
		}
		nationalStrain.st = st
		if nationalStrain.g, err = graph.Build(m); err != nil {
			panic(err)
		}
	})
	return nationalStrain.g, nationalStrain.st
}

// BenchmarkTimelineStrainLargestSupplier is the 365-day timeline of the
// largest supplier on the national model with aid links and a national
// stock: every day, helpers share out what they give and the stock runs
// down.
func BenchmarkTimelineStrainLargestSupplier(b *testing.B) {
	g, st := nationalStrainModel(b)
	var tl *Timeline
	start := rusage()
	for b.Loop() {
		var err error
		if tl, err = Compute(g, []string{st.LargestSupplier}, Options{Horizon: 365}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((rusage()-start).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(len(tl.Nodes)), "short")
	b.ReportMetric(float64(tl.Totals.Strained), "strained")
}

// BenchmarkTimelineLargestSupplier is a 365-day timeline of the supplier
// whose services most organisations consume.
func BenchmarkTimelineLargestSupplier(b *testing.B) {
	g, st := nationalModel(b)
	var tl *Timeline
	start := rusage()
	for b.Loop() {
		var err error
		if tl, err = Compute(g, []string{st.LargestSupplier}, Options{Horizon: 365}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((rusage()-start).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(len(tl.Nodes)), "short")
}

// BenchmarkTimelineWorlds is 1,000 worlds of the largest supplier's
// timeline (recoveries drawn, dependencies with their likelihoods), each
// followed until every node is back (at most 365 days), then for exactly
// 365 days.
func BenchmarkTimelineWorlds(b *testing.B) {
	g, st := nationalModel(b)
	for _, horizon := range []int{0, 365} {
		b.Run(fmt.Sprintf("horizon=%d", horizon), func(b *testing.B) {
			tl, err := Compute(g, []string{st.LargestSupplier}, Options{Horizon: horizon})
			if err != nil {
				b.Fatal(err)
			}
			start := rusage()
			for b.Loop() {
				if err := tl.Sample(SampleOptions{Samples: 1000, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((rusage()-start).Seconds()/float64(b.N), "cpu-s/op")
			b.ReportMetric(float64(tl.Samples.Back.P50), "p50-back-day")
		})
	}
}

func rusage() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCrewsExact orders n labs on two crews by trying every order:
// n labs, each serving 30 trusts with activity, recoveries of 10 to 40
// days; the timelines run are n! (5,040 at 7).
func BenchmarkCrewsExact(b *testing.B) {
	for _, n := range []int{5, 6, 7} {
		b.Run(fmt.Sprintf("labs=%d", n), func(b *testing.B) {
			m := &model.Model{Name: "labs"}
			var seeds []string
			for i := range n {
				lab := &model.Node{ID: fmt.Sprintf("lab-%d", i), Class: model.ClassOrganisation, Kind: "supplier",
					Recovery: &model.Recovery{Likely: float64(10 + 5*i)}}
				m.Organisations = append(m.Organisations, lab)
				seeds = append(seeds, lab.ID)
				for j := range 30 {
					t := &model.Node{ID: fmt.Sprintf("trust-%d-%d", i, j), Class: model.ClassOrganisation, Kind: "trust",
						Activity: []model.Activity{{Unit: "tests", PerDay: float64(100 * (1 + (i*7+j)%5))}}}
					m.Organisations = append(m.Organisations, t)
					m.Dependencies = append(m.Dependencies, &model.Dependency{From: t.ID, To: lab.ID, Type: model.Service, Critical: true, Likelihood: 1, Share: ptr(0.3)})
				}
			}
			g, err := graph.Build(m)
			if err != nil {
				b.Fatal(err)
			}
			var tl *Timeline
			for b.Loop() {
				if tl, err = Compute(g, seeds, Options{Crews: 2}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(tl.Crews.Orders), "timelines")
		})
	}
}
