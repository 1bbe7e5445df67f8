package timeline

import (
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/graph"
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
			t.Errorf("timeline %s differs from the engine without aid and stocks", strings.Fields(got[i]+" ?")[0])
		}
	}
}
