package graph

import (
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// TestRankMatchesReach: every figure of Rank equals Reach from that seed
// alone, on random models (with cycles and shared components) and on the
// examples, in both modes, with one worker and with several.
func TestRankMatchesReach(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	var graphs []*Graph
	for range 300 {
		g, err := Build(randomModel(r))
		if err != nil {
			t.Fatal(err)
		}
		graphs = append(graphs, g)
	}
	files, _ := filepath.Glob("../examples/*.yaml")
	for _, f := range files {
		m, err := model.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		g, _ := Build(m)
		graphs = append(graphs, g)
	}
	for i, g := range graphs {
		for _, mode := range model.Modes {
			for _, workers := range []int{1, 3} {
				rk, err := g.Rank(mode, RankOptions{Workers: workers})
				if err != nil {
					t.Fatal(err)
				}
				if len(rk.Ranking) != g.Len() {
					t.Fatalf("graph %d: %d entries for %d nodes", i, len(rk.Ranking), g.Len())
				}
				for j, e := range rk.Ranking {
					im, err := g.Reach([]string{e.ID}, mode)
					if err != nil {
						t.Fatal(err)
					}
					s := im.Summary
					if got := e.Summary; got != s {
						t.Fatalf("graph %d, %s, seed %s: rank %+v, reach %+v", i, mode, e.ID, e.Summary, s)
					}
					if j > 0 {
						p := rk.Ranking[j-1]
						if p.Organisations < e.Organisations || (p.Organisations == e.Organisations && (p.People < e.People || (p.People == e.People && p.ID > e.ID))) {
							t.Fatalf("graph %d: %s before %s is out of order", i, p.ID, e.ID)
						}
					}
				}
			}
		}
	}
}
