package timeline

import (
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

// TestWithoutAidAsBefore: a model without aid links or stocks gives the
// timeline it gave before they existed, byte for byte. The golden file
// holds, for random models with time, the hash of each timeline's JSON as
// the engine without aid and stocks computed it; it is rewritten only
// with -update, which a change meant to move these answers needs.
func TestWithoutAidAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 24))
	var b strings.Builder
	for i := range 400 {
		m := randomModel(r, true)
		seeds := seedsOf(r, m)
		g, err := graph.Build(m)
		if err != nil {
			t.Fatal(err)
		}
		horizon := 0
		if i%3 == 0 {
			horizon = 1 + r.IntN(40)
		}
		tl, err := Compute(g, seeds, Options{Horizon: horizon, Crews: i % 4 / 3})
		if err != nil {
			t.Fatal(err)
		}
		js, err := json.Marshal(tl)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d %x\n", i, sha256.Sum256(js))
	}
	const golden = "testdata/without-aid.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	got, wantLines := strings.Split(b.String(), "\n"), strings.Split(string(want), "\n")
	if len(got) != len(wantLines) {
		t.Fatalf("%d timelines, golden has %d", len(got), len(wantLines))
	}
	for i := range got {
		if got[i] != wantLines[i] {
			t.Errorf("timeline %s differs from the engine without aid and stocks", strings.Fields(got[i] + " ?")[0])
		}
	}
}

// withAid adds to a random model k helpers (services of the kind the
// random model's services have, never compromised), aid links to them from
// its nodes, and for each helper a consumer of its own that needs it
// fully. It returns the model without the aid links, for comparison.
func withAid(r *rand.Rand, m *model.Model) (without *model.Model, maxShed map[string]float64) {
	nodes := m.Nodes()
	base := *m
	base.Services = slices.Clone(m.Services)
	base.Organisations = slices.Clone(m.Organisations)
	maxShed = map[string]float64{}
	var aids []*model.Dependency
	for k := range 1 + r.IntN(3) {
		h := fmt.Sprintf("helper%d", k)
		x := fmt.Sprintf("own%d", k)
		base.Services = append(base.Services, &model.Node{ID: h, Name: h, Class: model.ClassService, Kind: "epr"})
		base.Organisations = append(base.Organisations, &model.Node{ID: x, Name: x, Class: model.ClassOrganisation, Kind: "trust"})
		base.Dependencies = append(slices.Clone(base.Dependencies), &model.Dependency{From: x, To: h, Type: model.Service, Critical: true, Likelihood: 1})
		for _, n := range nodes {
			if r.IntN(3) != 0 {
				continue
			}
			a := &model.Aid{After: r.IntN(4), Headroom: r.Float64() / 2, Shed: r.Float64() / 2}
			maxShed[x] = max(maxShed[x], a.Shed)
			aids = append(aids, &model.Dependency{From: n.ID, To: h, Type: model.Service, Critical: true, Likelihood: 1, Aid: a})
		}
	}
	with := base
	with.Dependencies = append(slices.Clone(base.Dependencies), aids...)
	*m = with
	return &base, maxShed
}

// TestAidNeverHarms: aid never lowers a node's capacity below what it is
// without aid, except for the helpers' own consumers, which lose at most
// what their helper sheds.
func TestAidNeverHarms(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 19))
	runs := 600
	if testing.Short() {
		runs = 200
	}
	helped := 0
	for range runs {
		m := randomModel(r, true)
		seeds := seedsOf(r, m)
		base, maxShed := withAid(r, m)
		horizon := 30
		with := capacityTable(t, m, seeds, horizon)
		without := capacityTable(t, base, seeds, horizon)
		for id, w := range with {
			for d := range w {
				if loss, own := maxShed[id]; own {
					if w[d] < 1-loss-1e-9 {
						t.Fatalf("seeds %v: %s, a helper's own consumer, is at %v on day %d; its helper sheds at most %v", seeds, id, w[d], d, loss)
					}
					continue
				}
				if w[d] < without[id][d]-1e-9 {
					t.Fatalf("seeds %v: %s is at %v on day %d with aid, %v without", seeds, id, w[d], d, without[id][d])
				}
				if w[d] > without[id][d]+1e-9 {
					helped++
				}
			}
		}
	}
	if helped == 0 {
		t.Error("aid never raised a capacity: the test tests nothing")
	}
}

// TestStrainHasACause: every node strained names what strains it, and
// each is a helper (the provider of an aid link) or a stock; a stock
// changes no capacity.
func TestStrainHasACause(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 19))
	strained := 0
	for range 200 {
		m := randomModel(r, true)
		seeds := seedsOf(r, m)
		withAid(r, m)
		// A stock drawn on while a random node is short.
		nodes := m.Nodes()
		m.Services = append(m.Services, &model.Node{ID: "stock", Name: "stock", Class: model.ClassService, Kind: model.StockKind, Stock: &model.Stock{Days: 3, Alert: 2}})
		before := capacityTable(t, m, seeds, 20)
		for _, n := range nodes {
			if r.IntN(3) == 0 {
				m.Dependencies = append(m.Dependencies, &model.Dependency{From: n.ID, To: "stock", Type: model.Service, Critical: true, Likelihood: 1,
					Surge: &model.Surge{When: model.Ref{Value: nodes[r.IntN(len(nodes))].ID}, Factor: 1 + 2*r.Float64(), Share: r.Float64() / 2}})
			}
		}
		g, err := graph.Build(m)
		if err != nil {
			t.Fatal(err)
		}
		tl, err := Compute(g, seeds, Options{Horizon: 20})
		if err != nil {
			t.Fatal(err)
		}
		helpers := map[string]bool{"stock": true}
		for _, d := range m.Dependencies {
			if d.Aid != nil {
				helpers[d.To] = true
			}
		}
		// The worst case names, for the same radius, every node the
		// timeline strains and what strains it.
		im, err := g.Reach(seeds, model.Ransomware)
		if err != nil {
			t.Fatal(err)
		}
		named := map[string][]string{}
		for _, ms := range im.MayStrain {
			named[ms.ID] = ms.By
		}
		for _, s := range tl.Strained {
			for _, by := range s.By {
				if !slices.Contains(named[s.ID], by) {
					var b strings.Builder
					for _, d := range m.Dependencies {
						fmt.Fprintf(&b, "\n  %s -> %s %s crit=%v aid=%v surge=%v", d.From, d.To, d.Type, d.Critical, d.Aid, d.Surge)
					}
					for _, x := range tl.Nodes {
						fmt.Fprintf(&b, "\n  node %s first short %d", x.ID, x.FirstShort)
					}
					for _, a := range im.Affected {
						fmt.Fprintf(&b, "\n  reach %s %s", a.ID, a.Impact)
					}
					t.Fatalf("seeds %v: the timeline strains %s by %s; reach names it by %v%s", seeds, s.ID, by, named[s.ID], b.String())
				}
			}
		}
		for _, s := range tl.Strained {
			strained++
			if len(s.By) == 0 {
				t.Fatalf("seeds %v: %s is strained by nothing", seeds, s.ID)
			}
			for _, by := range s.By {
				if !helpers[by] {
					t.Fatalf("seeds %v: %s is strained by %s, neither helper nor stock", seeds, s.ID, by)
				}
			}
		}
		// Surges on a stock strain, but take no capacity.
		after := map[string][]float64{}
		for _, n := range m.Nodes() {
			after[n.ID] = capacities(tl, n.ID)
		}
		for id, c := range before {
			if !slices.Equal(c, after[id]) {
				t.Fatalf("seeds %v: %s's capacity %v with surges, %v without", seeds, id, after[id], c)
			}
		}
	}
	if strained == 0 {
		t.Error("nothing was ever strained: the test tests nothing")
	}
}
