package explore

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blastradius/blastradius/model"
)

// A what-if of more than MaxWhatIfChanges changes is refused before any
// work, with a message; one at the limit, on a model of 20,000
// dependencies, costs well under a second, where each removal once
// scanned every dependency.
func TestWhatIfIsBounded(t *testing.T) {
	items := func(n int) string {
		var parts []string
		for i := range n {
			parts = append(parts, fmt.Sprintf("remove:o%d:o%d", i%400, (i%400+1+i/400)%400))
		}
		return strings.Join(parts, ",")
	}
	_, err := ParseWhatIf(items(MaxWhatIfChanges + 1))
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("more than the %d", MaxWhatIfChanges)) {
		t.Fatalf("got %v", err)
	}
	var b strings.Builder
	b.WriteString("version: 1\norganisations:\n")
	for i := range 400 {
		fmt.Fprintf(&b, "  - {id: o%d, kind: trust}\n", i)
	}
	b.WriteString("dependencies:\n")
	for k := range 20_000 {
		fmt.Fprintf(&b, "  - {from: o%d, to: o%d, type: access}\n", k%400, (k%400+1+k/400)%400)
	}
	m, err := model.Parse("m.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSession("m.yaml", m)
	if err != nil {
		t.Fatal(err)
	}
	w, err := ParseWhatIf(items(MaxWhatIfChanges))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res, err := s.Analyse(Query{Seeds: []string{"o0"}, Assume: w})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > ceiling(3*time.Second) {
		t.Errorf("a what-if of %d removals took %v", MaxWhatIfChanges, d)
	}
	if res.Impact.Summary.Organisations == 0 {
		t.Error("nothing affected")
	}
}

// One drawing runs at a time; MaxQueuedDrawings wait, and the next is
// refused with 503 rather than starting another drawing process.
func TestDrawingsQueue(t *testing.T) {
	release := make(chan struct{})
	var running, most atomic.Int32
	draw := func(dot []byte) ([]byte, error) {
		n := running.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		<-release
		running.Add(-1)
		return []byte("<svg/>"), nil
	}
	srv := httptest.NewUnstartedServer(nil)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	srv.Config.Handler = NewServer("../examples/synnovis-2024.yaml", model.DefaultLimits, draw).Handler(port)
	srv.Start()
	defer srv.Close()
	codes := make(chan int, MaxQueuedDrawings+2)
	for range MaxQueuedDrawings + 2 {
		go func() {
			resp, err := http.Get(srv.URL + "/api/draw?seed=synnovis")
			if err != nil {
				codes <- 0
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	// the one refused answers at once; then let the rest draw
	if c := <-codes; c != http.StatusServiceUnavailable {
		t.Errorf("first answer %d, want 503", c)
	}
	close(release)
	for range MaxQueuedDrawings + 1 {
		if c := <-codes; c != http.StatusOK {
			t.Errorf("got %d, want 200", c)
		}
	}
	if most.Load() != 1 {
		t.Errorf("%d drawings ran at once", most.Load())
	}
}

// ceiling is a generous bound on a time, ten times more generous under
// -short, which .ci/run gives the race detector (it slows code several
// times over): the bound catches growth by orders, not a slow machine.
func ceiling(d time.Duration) time.Duration {
	if testing.Short() {
		return 10 * d
	}
	return d
}
