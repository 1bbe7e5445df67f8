package render

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/synth"
	"github.com/blastradius/blastradius/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

func load(t testing.TB, file string) *graph.Graph {
	t.Helper()
	m, err := model.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	g, err := graph.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestDOTGolden(t *testing.T) {
	cases := []struct {
		name, file string
		seeds      []string
		mode       model.Mode
		opt        Options
	}{
		{"synnovis", "../examples/synnovis-2024.yaml", []string{"synnovis-access"}, model.Ransomware, Options{Title: "Synnovis"}},
		{"gateway", "../examples/alder-hey-gateway-2024.yaml", []string{"digital-gateway"}, model.Exfiltration, Options{}},
		{"wirral-network", "../examples/wirral-2024.yaml", nil, "", Options{Title: "Wirral"}},
		{"synnovis-folded", "../examples/synnovis-2024.yaml", []string{"synnovis-access"}, model.Ransomware, Options{MaxNodes: 14}},
		{"synnovis-focus", "../examples/synnovis-2024.yaml", []string{"synnovis"}, model.Ransomware, Options{Focus: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := load(t, c.file)
			if c.seeds != nil {
				im, err := g.Reach(c.seeds, c.mode)
				if err != nil {
					t.Fatal(err)
				}
				c.opt.Impact = im
			}
			d := DOT(g, c.opt)
			again := DOT(g, c.opt)
			if !bytes.Equal(d.DOT, again.DOT) {
				t.Fatal("two drawings of the same input differ")
			}
			golden := filepath.Join("testdata", c.name+".dot")
			if *update {
				os.WriteFile(golden, d.DOT, 0o644)
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./render -update)", err)
			}
			if !bytes.Equal(d.DOT, want) {
				t.Errorf("%s differs from the golden file (run go test ./render -update to accept)", c.name)
			}
		})
	}
}

func TestFoldingKeepsTheWorstEffect(t *testing.T) {
	g := load(t, "../examples/synnovis-2024.yaml")
	im, _ := g.Reach([]string{"synnovis-access"}, model.Ransomware)
	d := DOT(g, Options{Impact: im, MaxNodes: 14})
	if d.Nodes > 14 || len(d.Folded) == 0 {
		t.Fatalf("%d nodes, %d folds", d.Nodes, len(d.Folded))
	}
	for _, f := range d.Folded {
		if strings.Contains(f.Label, "GP practices") && f.Effect != graph.Disrupted {
			t.Errorf("GP practices folded as %s, want disrupted: %q", f.Effect, f.Label)
		}
	}
	if !strings.Contains(string(d.DOT), `"synnovis-access" [id="synnovis-access"`) {
		t.Error("the seed was folded away")
	}
}

// TestFocusAtNationalSize: the blast radius of the largest supplier of the
// national model, in focus, folds to the cap and draws every seed.
func TestFocusAtNationalSize(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the national model")
	}
	var buf bytes.Buffer
	st, err := synth.Generate(&buf, synth.Options{Scale: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Parse("national.yaml", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	g, _ := graph.Build(m)
	im, _ := g.Reach([]string{st.LargestSupplier}, model.Ransomware)
	d := DOT(g, Options{Impact: im, Focus: true})
	if d.Nodes > DefaultMaxNodes {
		t.Errorf("%d nodes drawn, over the cap of %d", d.Nodes, DefaultMaxNodes)
	}
	if d.Selected <= len(im.Affected) {
		t.Errorf("focus chose %d nodes for %d affected: no context", d.Selected, len(im.Affected))
	}
	if !strings.Contains(string(d.DOT), `[id="`+st.LargestSupplier+`"`) {
		t.Error("the seed is not drawn")
	}
}

// TestPaletteReadsInGreyscale: the fill colours get lighter, by a clear
// step, from the worst effect to unaffected, so the order survives
// greyscale printing and colour blindness.
func TestPaletteReadsInGreyscale(t *testing.T) {
	prev := -1.0
	for _, e := range []graph.Effect{graph.Compromised, graph.Disrupted, graph.Degraded, graph.Exposed, graph.Unaffected} {
		var r, g, b int
		if _, err := fmt.Sscanf(FillColour(e), "#%02x%02x%02x", &r, &g, &b); err != nil {
			t.Fatal(err)
		}
		y := 0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b) // relative luminance
		if y < prev+20 {
			t.Errorf("%s (%s) has luminance %.0f, not clearly lighter than the effect before (%.0f)", e, FillColour(e), y, prev)
		}
		prev = y
	}
}

// TestFoldLabelsAreTrue: every fold's count and worst effect are those of
// exactly the nodes it stands for, however hard the drawing folds.
func TestFoldLabelsAreTrue(t *testing.T) {
	g := load(t, "../examples/synnovis-2024.yaml")
	for _, seed := range []string{"synnovis", "synnovis-access", "gstt", "barts"} {
		im, _ := g.Reach([]string{seed}, model.Ransomware)
		effect := map[string]graph.Effect{}
		for _, n := range g.Nodes() {
			effect[n.ID] = graph.Unaffected
		}
		for _, a := range im.Affected {
			effect[a.ID] = a.Impact
		}
		byID := map[string]*model.Node{}
		for _, n := range g.Nodes() {
			byID[n.ID] = n
		}
		for max := 10; max <= 22; max++ {
			var selected []*model.Node
			selected = append(selected, g.Nodes()...)
			rep, folds := fold(g, selected, effect, map[string]bool{seed: true}, max)
			for _, f := range folds {
				n, worst, counts, icbs := 0, graph.Unaffected, map[graph.Effect]int{}, map[string]bool{}
				for id, r := range rep {
					if r == f.ID {
						n++
						worst = min(worst, effect[id])
						counts[effect[id]]++
						icbs[byID[id].ICB] = true
					}
				}
				if n != f.Count || worst != f.Effect {
					t.Errorf("seed %s, max %d: %q stands for %d nodes, worst %s; its label says %d, %s", seed, max, f.Label, n, worst, f.Count, f.Effect)
				}
				for _, c := range f.Counts {
					if counts[c.Effect] != c.Count {
						t.Errorf("seed %s, max %d: %q counts %d %s, but %d members are", seed, max, f.Label, c.Count, c.Effect, counts[c.Effect])
					}
					if !strings.Contains(f.Label, fmt.Sprintf("%d %s", c.Count, c.Effect)) && len(f.Counts) > 1 {
						t.Errorf("seed %s, max %d: %q does not say %d %s", seed, max, f.Label, c.Count, c.Effect)
					}
					if c.Count > counts[f.Fill] {
						t.Errorf("seed %s, max %d: %q is filled as %s, but more members are %s", seed, max, f.Label, f.Fill, c.Effect)
					}
				}
				if len(f.Counts) != len(counts) {
					t.Errorf("seed %s, max %d: %q counts %d effects, its members have %d", seed, max, f.Label, len(f.Counts), len(counts))
				}
				if (len(icbs) == 1) != (f.ICB != "") && !icbs[""] {
					t.Errorf("seed %s, max %d: %q names ICB %q for members of %d ICBs", seed, max, f.Label, f.ICB, len(icbs))
				}
			}
		}
	}
}

// TestDOTLayout checks that a drawing for a force-directed layout asks for
// straight lines, and that "auto" picks the layout by the drawing's size.
func TestDOTLayout(t *testing.T) {
	g := load(t, "../examples/synnovis-2024.yaml")
	cases := []struct{ layout, chosen, splines string }{
		{"", "dot", "splines=true"},
		{"dot", "dot", "splines=true"},
		{"sfdp", "sfdp", "splines=line"},
		{"auto", AutoLayout(0, 0), "splines=true"},
	}
	for _, c := range cases {
		d := DOT(g, Options{Title: "t", Layout: c.layout})
		if d.Layout != c.chosen || !bytes.Contains(d.DOT, []byte(c.splines)) {
			t.Errorf("layout %q: chose %q, want %q with %s", c.layout, d.Layout, c.chosen, c.splines)
		}
	}
	if AutoLayout(151, 0) != "sfdp" || AutoLayout(10, 401) != "sfdp" || AutoLayout(150, 400) != "dot" {
		t.Error("AutoLayout: wrong thresholds")
	}
}

// TestFoldAcrossICBsIsNotBoxed: the national model's issue case: a folded
// group of GP practices spread over many ICBs and effects sits in no ICB's
// box, counts its members by effect, and is not filled in the colour of the
// one compromised practice among them.
func TestFoldAcrossICBsIsNotBoxed(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the national model")
	}
	var buf bytes.Buffer
	if _, err := synth.Generate(&buf, synth.Options{Scale: 1, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	m, err := model.Parse("national.yaml", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	g, _ := graph.Build(m)
	im, _ := g.Reach([]string{"sup-02608"}, model.Ransomware)
	s := NewScene(g, Options{Impact: im, Focus: true, MaxNodes: 40})
	mixed := 0
	for _, n := range s.Nodes {
		if n.Folded == 0 || len(n.Effects) < 2 {
			continue
		}
		mixed++
		var f Fold
		for _, fo := range s.Folded {
			if fo.ID == n.ID {
				f = fo
			}
		}
		if f.ICB == "" && n.Cluster != "" {
			t.Errorf("%q spans ICBs but is drawn in %s's box", f.Summary(), n.Cluster)
		}
		if !strings.Contains(f.Summary(), ", ") || strings.Contains(f.Label, "worst") {
			t.Errorf("%q does not count its members by effect", f.Summary())
		}
	}
	if mixed == 0 {
		t.Fatal("no group of mixed effects folded: the case is not exercised")
	}
}
