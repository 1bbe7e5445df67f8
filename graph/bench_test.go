package graph

import (
	"bytes"
	"runtime"
	"sync"
	"testing"

	"github.com/blastradius/blastradius/internal/synth"
	"github.com/blastradius/blastradius/model"
	"go.yaml.in/yaml/v3"
)

// The national model: generated once per test binary, scale 1, seed 1.
var national struct {
	once  sync.Once
	src   []byte
	stats synth.Stats
	m     *model.Model
	g     *Graph
}

func nationalModel(b *testing.B) ([]byte, *Graph, synth.Stats) {
	b.Helper()
	national.once.Do(func() {
		var buf bytes.Buffer
		st, err := synth.Generate(&buf, synth.Options{Scale: 1, Seed: 1})
		if err != nil {
			panic(err)
		}
		national.src, national.stats = buf.Bytes(), st
		m, err := model.Parse("national.yaml", national.src)
		if err != nil {
			panic(err)
		}
		national.m = m
		if national.g, err = Build(m); err != nil {
			panic(err)
		}
	})
	return national.src, national.g, national.stats
}

// BenchmarkYAMLNodes is the floor for loading: yaml.v3 parsing the national
// file into nodes, and nothing else.
func BenchmarkYAMLNodes(b *testing.B) {
	src, _, _ := nationalModel(b)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		var n yaml.Node
		if err := yaml.Unmarshal(src, &n); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad is model.Parse: yaml.v3 plus the walk and every check.
func BenchmarkLoad(b *testing.B) {
	src, _, _ := nationalModel(b)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := model.Parse("national.yaml", src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild builds the compact index that analyses run on.
func BenchmarkBuild(b *testing.B) {
	_, g, _ := nationalModel(b)
	for b.Loop() {
		if _, err := Build(g.model); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReachLargestSupplier is one Reach, with paths, from the supplier
// whose services most organisations consume.
func BenchmarkReachLargestSupplier(b *testing.B) {
	_, g, st := nationalModel(b)
	seeds := []string{st.LargestSupplier}
	var im *Impact
	for b.Loop() {
		var err error
		if im, err = g.Reach(seeds, model.Ransomware); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(im.Affected)), "affected")
}

// BenchmarkReachWidest is one Reach from the GP clinical system vendor whose
// platform hosts more than half the practices: the widest blast radius.
func BenchmarkReachWidest(b *testing.B) {
	_, g, _ := nationalModel(b)
	var im *Impact
	for b.Loop() {
		im, _ = g.Reach([]string{"gp-vendor-0"}, model.Ransomware)
	}
	b.ReportMetric(float64(len(im.Affected)), "affected")
}

// BenchmarkBFSCompact is a plain breadth-first walk from the widest seed
// over every dependency (both ways for a link) and operator, held as a
// compact index: the floor for one Reach.
func BenchmarkBFSCompact(b *testing.B) {
	_, g, _ := nationalModel(b)
	var all []arc
	for i, n := range g.nodes {
		if n.Operator != "" {
			all = append(all, arc{g.index[n.Operator], int32(i), 0, -1})
		}
	}
	for _, d := range g.model.Dependencies {
		c, p := g.index[d.From], g.index[d.To]
		all = append(all, arc{p, c, 0, 0})
		if d.Type.BothWays() {
			all = append(all, arc{c, p, 0, 0})
		}
	}
	adj := buildCSR(len(g.nodes), all)
	seen := make([]bool, len(g.nodes))
	q := make([]int32, 0, len(g.nodes))
	for b.Loop() {
		clear(seen)
		q = append(q[:0], g.index["gp-vendor-0"])
		seen[q[0]] = true
		for i := 0; i < len(q); i++ {
			for _, v := range adj.of(q[i]) {
				if !seen[v] {
					seen[v] = true
					q = append(q, v)
				}
			}
		}
	}
	b.ReportMetric(float64(len(q)), "reached")
}

// BenchmarkRank ranks every node of the national model, in each mode.
func BenchmarkRank(b *testing.B) {
	_, g, _ := nationalModel(b)
	for _, mode := range model.Modes {
		b.Run(string(mode), func(b *testing.B) {
			for b.Loop() {
				if _, err := g.Rank(mode, RankOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRankBaselineBFS is the plain way to rank: one breadth-first walk
// from every node over every arc that carries an effect, one core, no reuse.
// It computes less than Rank (no fixed points, no effects), so it is a floor
// for the naive method, not an equal.
func BenchmarkRankBaselineBFS(b *testing.B) {
	_, g, _ := nationalModel(b)
	var all []arc
	for u := range g.nodes {
		for _, c := range []*csr{&g.comp, &g.down, &g.expose} {
			for _, v := range c.of(int32(u)) {
				all = append(all, arc{int32(u), v, 0, 0})
			}
		}
		for _, e := range g.svc.of(int32(u)) {
			all = append(all, arc{int32(u), g.svcFrom[e], 0, 0})
		}
	}
	adj := buildCSR(len(g.nodes), all)
	seen := make([]uint32, len(g.nodes))
	q := make([]int32, 0, len(g.nodes))
	stamp := uint32(0)
	// Collect the setup's garbage now, so that no collection it starts
	// runs during the walks.
	runtime.GC()
	for b.Loop() {
		for s := range g.nodes {
			stamp++
			q = append(q[:0], int32(s))
			seen[s] = stamp
			for i := 0; i < len(q); i++ {
				for _, v := range adj.of(q[i]) {
					if seen[v] != stamp {
						seen[v] = stamp
						q = append(q, v)
					}
				}
			}
		}
	}
}

// BenchmarkChokepointsLargestSupplier: dominators, the minimum cut that
// protects every affected organisation, and every single change tried, for
// the largest supplier.
func BenchmarkChokepointsLargestSupplier(b *testing.B) {
	_, g, st := nationalModel(b)
	for b.Loop() {
		if _, err := g.Chokepoints([]string{st.LargestSupplier}, model.Ransomware, nil, 10); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNetworkGains: the best single changes for the whole network.
func BenchmarkNetworkGains(b *testing.B) {
	_, g, _ := nationalModel(b)
	for b.Loop() {
		if _, err := g.NetworkGains(model.Ransomware, 10, 0, RankOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
