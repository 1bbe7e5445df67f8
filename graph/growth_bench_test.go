package graph

import (
	"sync"
	"testing"

	"github.com/blastradius/blastradius/internal/synth"
	"github.com/blastradius/blastradius/model"
)

// BenchmarkGrowth measures how each analysis grows from one ICB to the
// national model to ten times it, each beside its anchor measured in the
// same run: a plain breadth-first walk in Go over every arc that carries
// an effect (and, in a world, only the arcs whose dependency holds there),
// which computes only reachability, no outages with alternatives,
// degradation, exposure or counts. The models are generate's with
// likelihoods (seed 1): --icbs 1, scale 1 and scale 10.
//
//	go test -run XXX -bench Growth -benchtime 1x ./graph/
//
// Figures are per operation, and also per world (ms/world) where an
// analysis is of many worlds, so that a figure and its anchor compare
// even where the anchor draws fewer worlds to keep the run short.
func BenchmarkGrowth(b *testing.B) {
	for _, sc := range growthScales {
		b.Run(sc.name, func(b *testing.B) {
			g, st := growthModel(b, sc)
			seed := []int32{g.index[st.LargestSupplier]}
			anchor := newAnchor(g)
			b.Run("reach", func(b *testing.B) {
				for b.Loop() {
					if _, err := g.Reach([]string{st.LargestSupplier}, model.Ransomware); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("reach-bfs", func(b *testing.B) {
				for b.Loop() {
					anchor.walk(seed[0], nil, 0)
				}
			})
			b.Run("rank", func(b *testing.B) {
				for b.Loop() {
					if _, err := g.Rank(model.Ransomware, RankOptions{}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("rank-bfs", func(b *testing.B) {
				for b.Loop() {
					for s := range g.nodes {
						anchor.walk(int32(s), nil, 0)
					}
				}
			})
			dr := newDraws(1, g.likelihoods())
			b.Run("simulate", func(b *testing.B) {
				defer perWorld(b, sc.worlds)()
				for b.Loop() {
					if _, err := g.Simulate([]string{st.LargestSupplier}, model.Ransomware, nil, SimulateOptions{Samples: sc.worlds, Seed: 1}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("simulate-bfs", func(b *testing.B) {
				defer perWorld(b, sc.worlds)()
				for b.Loop() {
					for w := range sc.worlds {
						anchor.walk(seed[0], dr, dr.world(uint64(w)))
					}
				}
			})
			b.Run("rank-risk", func(b *testing.B) {
				defer perWorld(b, sc.riskWorlds)()
				for b.Loop() {
					if _, err := g.RankRisk(model.Ransomware, nil, RiskOptions{Samples: sc.riskWorlds, Seed: 1}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("rank-risk-bfs", func(b *testing.B) {
				defer perWorld(b, sc.anchorWorlds)()
				for b.Loop() {
					for w := range sc.anchorWorlds {
						key := dr.world(uint64(w))
						for s := range g.nodes {
							anchor.walk(int32(s), dr, key)
						}
					}
				}
			})
		})
	}
}

// growthScales are the models BenchmarkGrowth measures, with the worlds
// each simulates (from the largest supplier) and ranks (every node as the
// seed), and the worlds the ranking's anchor walks.
var growthScales = []*growthScale{
	{name: "icb", opt: synth.Options{ICBs: 1, Scale: 1, Seed: 1, Likelihoods: true}, worlds: 10_000, riskWorlds: 1000, anchorWorlds: 100},
	{name: "national", opt: synth.Options{Scale: 1, Seed: 1, Likelihoods: true}, worlds: 10_000, riskWorlds: 1000, anchorWorlds: 10},
	{name: "10x", opt: synth.Options{Scale: 10, Seed: 1, Likelihoods: true}, worlds: 1000, riskWorlds: 100, anchorWorlds: 1},
}

type growthScale struct {
	name                             string
	opt                              synth.Options
	worlds, riskWorlds, anchorWorlds int
	once                             sync.Once
	g                                *Graph
	st                               synth.Stats
}

func growthModel(b *testing.B, sc *growthScale) (*Graph, synth.Stats) {
	b.Helper()
	sc.once.Do(func() {
		src, st, err := synth.Shared(sc.opt)
		if err != nil {
			panic(err)
		}
		m, err := model.Parse(sc.name+".yaml", src)
		if err != nil {
			panic(err)
		}
		if sc.g, err = Build(m); err != nil {
			panic(err)
		}
		sc.st = st
	})
	b.Logf("%s: %d nodes, %d dependencies", sc.name, sc.g.Len(), len(sc.g.model.Dependencies))
	return sc.g, sc.st
}

// perWorld reports, when the returned function runs, the milliseconds an
// operation took per world of the n it analyses.
func perWorld(b *testing.B, n int) func() {
	return func() {
		b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N)/float64(n), "ms/world")
	}
}

// anchor is the plain walk: every arc that carries an effect (compromise,
// outage, exposure, a service to its consumer), with its dependency.
type anchor struct {
	adj   csr
	seen  []uint32
	stamp uint32
	q     []int32
}

func newAnchor(g *Graph) *anchor {
	var all []arc
	for u := range g.nodes {
		for _, c := range []*csr{&g.comp, &g.down, &g.expose} {
			for k := c.off[u]; k < c.off[u+1]; k++ {
				all = append(all, arc{int32(u), c.adj[k], 0, c.dep[k]})
			}
		}
		for _, e := range g.svc.of(int32(u)) {
			all = append(all, arc{int32(u), g.svcFrom[e], 0, g.svcDep[e]})
		}
	}
	return &anchor{adj: buildCSR(len(g.nodes), all), seen: make([]uint32, len(g.nodes)), q: make([]int32, 0, len(g.nodes))}
}

// walk visits every node reachable from s, by arcs whose dependency holds
// in the world whose key is key (every arc if dr is nil), and returns how
// many.
func (a *anchor) walk(s int32, dr *draws, key uint64) int {
	a.stamp++
	a.q = append(a.q[:0], s)
	a.seen[s] = a.stamp
	for i := 0; i < len(a.q); i++ {
		u := a.q[i]
		for k := a.adj.off[u]; k < a.adj.off[u+1]; k++ {
			v := a.adj.adj[k]
			if a.seen[v] == a.stamp {
				continue
			}
			if d := a.adj.dep[k]; dr != nil && d >= 0 && !dr.live(key, d) {
				continue
			}
			a.seen[v] = a.stamp
			a.q = append(a.q, v)
		}
	}
	return len(a.q)
}
