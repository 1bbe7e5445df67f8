package explore

import (
	"bytes"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/blastradius/blastradius/internal/synth"
	"github.com/blastradius/blastradius/model"
)

// The national model (scale 1, seed 1), generated once per test binary.
var national struct {
	once sync.Once
	s    *Session
	top  string // the seed that affects most organisations
}

func nationalSession(b *testing.B) (*Session, string) {
	b.Helper()
	national.once.Do(func() {
		var buf bytes.Buffer
		if _, err := synth.Generate(&buf, synth.Options{Scale: 1, Seed: 1}); err != nil {
			panic(err)
		}
		m, err := model.Parse("national.yaml", buf.Bytes())
		if err != nil {
			panic(err)
		}
		if national.s, err = NewSession("national.yaml", m); err != nil {
			panic(err)
		}
		rk, err := national.s.Rank(model.Ransomware)
		if err != nil {
			panic(err)
		}
		national.top = rk.Ranking[0].ID
	})
	return national.s, national.top
}

func benchGet(b *testing.B, s *Session, path string) {
	srv := &Server{sess: s, path: s.File}
	h := srv.Handler(8123)
	b.ResetTimer()
	for b.Loop() {
		r := httptest.NewRequest("GET", path, nil)
		r.Host = "127.0.0.1:8123"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
		}
		b.SetBytes(int64(w.Body.Len()))
	}
}

// BenchmarkPick is what the served page asks when a user picks the node
// that affects most organisations: Reach, the grouping and the JSON.
// Goal: under 200 ms.
func BenchmarkPick(b *testing.B) {
	s, top := nationalSession(b)
	benchGet(b, s, "/api/reach?seed="+top)
}

// BenchmarkPickWhatIf is the same pick with a what-if the page has not
// tried before: model.Apply, graph.Build, then Reach twice.
func BenchmarkPickWhatIf(b *testing.B) {
	s, top := nationalSession(b)
	w, _ := ParseWhatIf("control:" + top + ":segmentation")
	b.ResetTimer()
	for b.Loop() {
		s.mu.Lock()
		clear(s.graphs)
		s.order = nil
		s.mu.Unlock()
		if _, err := s.Analyse(Query{Seeds: []string{top}, Assume: w}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOverview is the overview's tiles for the largest radius.
func BenchmarkOverview(b *testing.B) {
	s, top := nationalSession(b)
	benchGet(b, s, "/api/overview?seed="+top)
}

// BenchmarkSearch is one search over every node.
func BenchmarkSearch(b *testing.B) {
	s, _ := nationalSession(b)
	benchGet(b, s, "/api/search?q=trust")
}

// BenchmarkReport is the report of the national model without drawings.
// Goal: under 25 MB (reported as MB).
func BenchmarkReport(b *testing.B) {
	s, _ := nationalSession(b)
	var size int
	for b.Loop() {
		page, err := s.Report(ReportOptions{Version: "bench", NoDraw: "benchmark"})
		if err != nil {
			b.Fatal(err)
		}
		size = len(page)
	}
	b.ReportMetric(float64(size)/1e6, "MB")
}
