package graph

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// TestPathsAreShortestOverStates checks, on small models, that each
// explaining path is a shortest one over states (node, effect carried): a
// node that is both compromised and a provider that goes down may explain
// the outage of its consumers by a shorter chain than its compromise.
func TestPathsAreShortestOverStates(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		seeds     []string
		mode      model.Mode
		want      map[string]string // id: path, the ids joined by spaces
	}{{
		// a down takes x down at once, though x is compromised only in two
		// steps (through b); y, which needs x, is down after x's outage.
		name: "outage shorter than the compromise that also takes the node down",
		src: `organisations:
  - {id: a, kind: supplier}
  - {id: b, kind: trust}
  - {id: x, kind: trust}
  - {id: y, kind: trust}
dependencies:
  - {from: x, to: a, type: service}
  - {from: b, to: a, type: access}
  - {from: x, to: b, type: access}
  - {from: y, to: x, type: service}
`,
		seeds: []string{"a"}, mode: model.Ransomware,
		want: map[string]string{"a": "a", "b": "a b", "x": "a b x", "y": "a x y"},
	}, {
		// z is degraded by x: through x's outage, not its compromise.
		name: "degradation through the shorter outage",
		src: `organisations:
  - {id: a, kind: supplier}
  - {id: b, kind: trust}
  - {id: x, kind: trust}
  - {id: z, kind: trust}
dependencies:
  - {from: x, to: a, type: service}
  - {from: b, to: a, type: access}
  - {from: x, to: b, type: access}
  - {from: z, to: x, type: service, critical: false}
`,
		seeds: []string{"a"}, mode: model.Ransomware,
		want: map[string]string{"x": "a b x", "z": "a x z"},
	}, {
		// Exposure follows the compromise chain: x is held by the attacker
		// in two steps, and its data consumer is exposed in three.
		name: "exposure through the compromise",
		src: `organisations:
  - {id: a, kind: supplier}
  - {id: b, kind: trust}
  - {id: x, kind: trust}
  - {id: d, kind: trust}
dependencies:
  - {from: x, to: a, type: service}
  - {from: b, to: a, type: access}
  - {from: x, to: b, type: access}
  - {from: d, to: x, type: data}
`,
		seeds: []string{"a"}, mode: model.Ransomware,
		want: map[string]string{"d": "a b x d"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			g := parse(t, tc.src)
			im, err := g.Reach(tc.seeds, tc.mode)
			if err != nil {
				t.Fatal(err)
			}
			for id, want := range tc.want {
				a := im.Of(id)
				if a == nil {
					t.Fatalf("%s unaffected", id)
				}
				if got := strings.Join(a.Path, " "); got != want {
					t.Errorf("%s (%s): path %q, want %q", id, a.Impact, got, want)
				}
				if err := checkPath(g.Model(), tc.seeds, a); err != nil {
					t.Errorf("%s: %v", id, err)
				}
			}
		})
	}
}

// TestLongerPathsCounted measures, on random models, how many reported
// paths are longer than a shortest explanation over states, and fails if
// any is.
func TestLongerPathsCounted(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	paths, longer := 0, 0
	var outages, outagesLonger int // paths of nodes down or degraded, not compromised
	for range 5000 {
		m := randomModel(r)
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		nodes := m.Nodes()
		seeds := []string{nodes[r.IntN(len(nodes))].ID}
		if r.IntN(3) == 0 {
			if s := nodes[r.IntN(len(nodes))].ID; !slices.Contains(seeds, s) {
				seeds = append(seeds, s)
			}
		}
		slices.Sort(seeds)
		mode := model.Modes[r.IntN(2)]
		im, err := g.Reach(seeds, mode)
		if err != nil {
			t.Fatal(err)
		}
		ref := naiveSets(m, seeds, mode)
		for _, a := range im.Affected {
			paths++
			long := len(a.Path)-1 > ref.dist[a.ID]
			if long {
				longer++
			}
			if a.Impact == Disrupted || a.Impact == Degraded {
				outages++
				if long {
					outagesLonger++
				}
			}
		}
	}
	t.Logf("%d of %d paths (%.2f%%) longer than a shortest explanation; of the paths of nodes disrupted or degraded, %d of %d (%.2f%%)",
		longer, paths, 100*float64(longer)/float64(paths), outagesLonger, outages, 100*float64(outagesLonger)/float64(max(outages, 1)))
	if longer > 0 {
		t.Errorf("%d of %d paths (%.2f%%) are longer than a shortest explanation", longer, paths, 100*float64(longer)/float64(paths))
	}
}
