package graph

import (
	"math/rand/v2"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// TestWideMatchesOneWorldAtATime checks the wide run against its
// definition: in every world of a batch, each node's effects and the
// Summary are those of workspace.run in that world alone, on random models
// with random likelihoods, random what-ifs (controls added and taken away,
// masks, alternatives in and outside the model), both modes, batches of
// every size and offset, sampled and enumerated worlds.
func TestWideMatchesOneWorldAtATime(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	runs := 20000 // a world's alternative that goes down last is rare
	if testing.Short() {
		runs = 2000
	}
	for run := range runs {
		m := randomModel(r)
		withLikelihoods(r, m)
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		rn, _ := randomRun(r, m)
		rn.Live = nil // the draws decide which dependencies hold
		base, err := g.sampledWorld(rn)
		if err != nil {
			t.Fatal(err)
		}
		dr := newDraws(r.Uint64(), g.likelihoods())
		if r.IntN(4) == 0 { // exact enumeration: world numbers are the draws
			dr = &draws{slot: make([]int8, len(m.Dependencies))}
			slot := int8(0)
			for d, dep := range m.Dependencies {
				dr.slot[d] = -1
				if dep.Likelihood < 1 && slot < 20 {
					dr.slot[d], slot = slot, slot+1
				}
			}
		}
		var seeds []int32
		for range 1 + r.IntN(2) {
			seeds = append(seeds, int32(r.IntN(g.Len())))
		}
		mode := model.Modes[r.IntN(2)]
		n := 1 + r.IntN(wordWorlds)
		first := uint64(r.IntN(1 << 12))

		x := newWide(g, dr)
		x.use(base)
		// One that counts a single measure, as recommend's do.
		one, only := newWide(g, dr), Measure(r.IntN(len(measures)))
		one.use(base)
		one.measureOnly(only)
		// Two batches on one wide run, so that stamps are reused.
		for pass := range 2 {
			x.run(seeds, mode, first, n)
			one.run(seeds, mode, first, n)
			w := newWorkspace(g)
			wd := *base
			wd.draws = dr
			w.use(&wd)
			for i := range n {
				wd.draw = dr.world(first + uint64(i))
				w.run(seeds, mode, false)
				for v := range int32(g.Len()) {
					var want uint8
					if w.seen[v] == w.stamp {
						want = w.bits[v]
					}
					var got uint8
					if x.seen[v] == x.stamp {
						bit := func(word uint64, b uint8) uint8 {
							if word>>i&1 == 1 {
								return b
							}
							return 0
						}
						got = bit(x.c[v], bitC) | bit(x.d[v], bitD) | bit(x.deg[v], bitG) | bit(x.exp[v], bitE)
					}
					if got != want {
						t.Fatalf("run %d pass %d, world %d of %d from %d, %s from %v (%s), run %+v: node %s has %04b, one world at a time %04b\n%s",
							run, pass, i, n, first, mode, seeds, g.nodes[seeds[0]].ID, rn, g.nodes[v].ID, got, want, dump(m))
					}
				}
				if got, want := x.sums[i], w.summary(); got != want {
					t.Fatalf("run %d pass %d, world %d: summary %+v, one world at a time %+v\n%s", run, pass, i, got, want, dump(m))
				}
				if got, want := one.sums[i].at(only), w.summary().Of(only); got != want {
					t.Fatalf("run %d pass %d, world %d: %s alone %v, one world at a time %v\n%s", run, pass, i, only.Info().Key, got, want, dump(m))
				}
			}
			first += uint64(n)
		}
	}
}
