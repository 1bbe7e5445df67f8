package graph

import (
	"math/rand/v2"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// FuzzAnalyses turns the fuzzer's bytes into the seed of a random valid
// model and runs every analysis on it: none may panic, and Rank must agree
// with Reach.
func FuzzAnalyses(f *testing.F) {
	for _, s := range []uint64{0, 1, 2, 42, 1 << 40} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, seed uint64, pick uint8) {
		r := rand.New(rand.NewPCG(seed, uint64(pick)))
		m := randomModel(r)
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		nodes := g.Nodes()
		a, b := nodes[int(pick)%len(nodes)].ID, nodes[len(nodes)-1].ID
		mode := model.Modes[int(pick)%2]
		im, err := g.Reach([]string{a}, mode)
		if err != nil {
			t.Fatal(err)
		}
		rk, err := g.Rank(mode, RankOptions{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range rk.Ranking {
			if e.ID == a && e.Organisations != im.Summary.Organisations {
				t.Fatalf("rank %d, reach %d", e.Organisations, im.Summary.Organisations)
			}
		}
		if _, err := g.Chokepoints([]string{a}, mode, nil, 5); err != nil {
			t.Fatal(err)
		}
		if a != b {
			if _, err := g.Paths(a, b, mode, 3); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := g.NetworkGains(mode, 3, 3, RankOptions{Workers: 1}); err != nil {
			t.Fatal(err)
		}
	})
}
