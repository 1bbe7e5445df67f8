package model_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/blastradius/blastradius/model"
)

// manyScenarios is a model of deps dependencies among 500 organisations
// and scenarios scenarios, each compromising one and assuming, in every
// tenth, one removal and one addition.
func manyScenarios(deps, scenarios int) string {
	var b strings.Builder
	b.WriteString("version: 1\norganisations:\n")
	const nodes = 500
	for i := range nodes {
		fmt.Fprintf(&b, "  - {id: o%d, kind: trust}\n", i)
	}
	b.WriteString("dependencies:\n")
	for k := range deps {
		i, j := k%nodes, k/nodes+1
		fmt.Fprintf(&b, "  - {from: o%d, to: o%d, type: access}\n", i, (i+j)%nodes)
	}
	b.WriteString("scenarios:\n")
	for s := range scenarios {
		fmt.Fprintf(&b, "  - name: s%d\n    compromise: [o%d]\n", s, s%nodes)
		if s%10 == 0 {
			fmt.Fprintf(&b, "    assume:\n      remove: [{from: o%d, to: o%d}]\n      add: [{from: o%d, to: o%d, type: data}]\n", s%nodes, (s%nodes+1)%nodes, s%nodes, (s%nodes+2)%nodes)
		}
	}
	return b.String()
}

// Loading checks each scenario in what it names, through one index of the
// dependencies: scenarios times dependencies took minutes on a large model.
// The check is relative, so that it holds on a slow machine and under the
// race detector: 3,000 scenarios may cost a few times what the 20,000
// dependencies cost, where the loop it replaced cost thousands of times.
func TestScenariosCostWhatTheyName(t *testing.T) {
	fastest := func(src []byte, scenarios int) time.Duration {
		best := time.Duration(1<<63 - 1)
		for range 2 {
			start := time.Now()
			m, err := model.Parse("many.yaml", src)
			if err != nil {
				t.Fatal(err)
			}
			best = min(best, time.Since(start))
			if len(m.Scenarios) != scenarios || len(m.Dependencies) != 20_000 {
				t.Fatalf("%d scenarios, %d dependencies", len(m.Scenarios), len(m.Dependencies))
			}
		}
		return best
	}
	base := fastest([]byte(manyScenarios(20_000, 0)), 0)
	full := fastest([]byte(manyScenarios(20_000, 3_000)), 3_000)
	if full > 4*base+100*time.Millisecond {
		t.Errorf("3,000 scenarios took %v to load, the model without them %v", full, base)
	}
}

// Apply finds what each change concerns through an index: 5,000 removals
// and 5,000 additions to 20,000 dependencies take no time to speak of.
func TestApplyManyChanges(t *testing.T) {
	m, err := model.Parse("many.yaml", []byte(manyScenarios(20_000, 1)))
	if err != nil {
		t.Fatal(err)
	}
	var cs []model.Change
	for k := range 5_000 {
		cs = append(cs, model.Change{Kind: model.RemoveDependency, From: fmt.Sprintf("o%d", k%500), To: fmt.Sprintf("x%d", k)})
		cs = append(cs, model.Change{Kind: model.AddDependency, From: "o1", To: "o2",
			Dependency: &model.Dependency{From: fmt.Sprintf("o%d", k%500), To: fmt.Sprintf("o%d", (k+250)%500), Type: model.Relation("data")}})
	}
	cs = append(cs, model.Change{Kind: model.RemoveDependency, From: "o0", To: "o1"})
	start := time.Now()
	out := m.Apply(cs)
	if d := time.Since(start); d > ceiling(time.Second) {
		t.Errorf("Apply took %v", d)
	}
	// o0 → o1 goes; the additions repeat 500 pairs ten times: 500 are new
	if got, want := len(out.Dependencies), 20_000-1+500; got != want {
		t.Errorf("%d dependencies, want %d", got, want)
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
