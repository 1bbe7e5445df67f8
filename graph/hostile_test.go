package graph

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/blastradius/blastradius/model"
)

// chainModel is n organisations, each with access into the one before;
// cycle closes the chain; tail is appended (policies, scenarios).
func chainModel(n int, cycle bool, tail string) string {
	var b strings.Builder
	b.WriteString("version: 1\nname: chain\norganisations:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {id: o%d, name: O %d, kind: trust}\n", i, i)
	}
	b.WriteString("dependencies:\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "  - {from: o%d, to: o%d, type: access}\n", i, i-1)
	}
	if cycle {
		fmt.Fprintf(&b, "  - {from: o0, to: o%d, type: access}\n", n-1)
	}
	return b.String() + tail
}

func mustParse(t *testing.T, src string) *model.Model {
	t.Helper()
	m, err := model.Parse("chain.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A long chain's paths keep their last MaxPathSteps steps, count the rest
// and name the node before: memory and output grow with the nodes, not
// with the square of the chain's length.
func TestLongPathsKeepTheirLastSteps(t *testing.T) {
	const n = 300
	g, err := Build(mustParse(t, chainModel(n, true, "")))
	if err != nil {
		t.Fatal(err)
	}
	im, err := g.Reach([]string{"o0"}, model.Ransomware)
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Affected) != n {
		t.Fatalf("%d affected, want %d", len(im.Affected), n)
	}
	carried := 0
	for _, a := range im.Affected {
		carried += len(a.Path)
		if len(a.Via) > MaxPathSteps || len(a.Via) != len(a.Path)-1 {
			t.Errorf("%s: path of %d nodes and %d relations, want at most %d steps", a.ID, len(a.Path), len(a.Via), MaxPathSteps)
		}
		var i int
		fmt.Sscanf(a.ID, "o%d", &i)
		if a.Steps() != i {
			t.Errorf("%s: Steps() = %d, want %d (path %v, omitted %d)", a.ID, a.Steps(), i, a.Path, a.PathOmitted)
		}
		if i > 0 && a.From != fmt.Sprintf("o%d", i-1) {
			t.Errorf("%s: From = %q, want o%d", a.ID, a.From, i-1)
		}
		if a.Path[len(a.Path)-1] != a.ID {
			t.Errorf("%s: path ends at %s", a.ID, a.Path[len(a.Path)-1])
		}
	}
	if limit := n * (MaxPathSteps + 1); carried > limit {
		t.Errorf("paths carry %d nodes, more than %d", carried, limit)
	}
	last := im.Of(fmt.Sprintf("o%d", n-1))
	if want := fmt.Sprintf("…%d more steps → o%d", n-1-MaxPathSteps, n-1-MaxPathSteps); !strings.HasPrefix(pathText(last), want) {
		t.Errorf("pathText = %q, want it to start %q", pathText(last), want)
	}
}

// check on a chain with a policy every node breaks explains each finding
// with at most MaxCauses lines of bounded length, and counts the rest: the
// findings' text grows with the chain, not as its cube.
func TestCheckOnAChainIsBounded(t *testing.T) {
	const n = 150
	r, err := Check(mustParse(t, chainModel(n, false, "policies: {max_organisations: 1}\n")), "2026-01-01")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != n-1 {
		t.Fatalf("%d findings, want %d", len(r.Findings), n-1)
	}
	size := 0
	for _, f := range r.Findings {
		if len(f.Causes) > MaxCauses+1 {
			t.Errorf("%s: %d causes, more than %d", f.ID, len(f.Causes), MaxCauses+1)
		}
		for _, c := range f.Causes {
			size += len(c.Message)
		}
		if f.ID == "o0" {
			// the policy, then one dependency per organisation reached
			if got := len(f.Causes) - 1 + f.MoreCauses; got != n-1 {
				t.Errorf("o0: %d causes and %d more, want %d lines in all", len(f.Causes)-1, f.MoreCauses, n-1)
			}
		}
	}
	if limit := n * (MaxCauses + 1) * 400; size > limit {
		t.Errorf("causes hold %d bytes of text, more than %d", size, limit)
	}
}

// A long down chain of services, and an organisation degraded at its end,
// count their whole paths too.
func TestLongDownChainCountsItsSteps(t *testing.T) {
	const n = 40
	var b strings.Builder
	b.WriteString("version: 1\norganisations:\n  - {id: op, kind: supplier}\n  - {id: t, kind: trust}\nservices:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {id: s%d, kind: epr, operator: op}\n", i)
	}
	b.WriteString("dependencies:\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "  - {from: s%d, to: s%d, type: service}\n", i, i-1)
	}
	fmt.Fprintf(&b, "  - {from: t, to: s%d, type: service, critical: false}\n", n-1)
	g, err := Build(mustParse(t, b.String()))
	if err != nil {
		t.Fatal(err)
	}
	im, err := g.Reach([]string{"s0"}, model.Ransomware)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range im.Affected {
		want := n
		if a.ID != "t" {
			fmt.Sscanf(a.ID, "s%d", &want)
		}
		if a.Steps() != want || len(a.Via) > MaxPathSteps {
			t.Errorf("%s (%s): %d steps carried, %d in all; want %d in all", a.ID, a.Impact, len(a.Via), a.Steps(), want)
		}
	}
	if a := im.Of("t"); a == nil || a.Impact != Degraded || a.From != fmt.Sprintf("s%d", n-1) {
		t.Errorf("t: %+v", a)
	}
}

// Anchor moves a finding onto a changed line even when that line is among
// the causes left out: the chain's last dependency, added by the change,
// is the 49th line of the explanation of o0's finding.
func TestAnchorFindsALineLeftOut(t *testing.T) {
	const n = 50
	src := chainModel(n, false, "policies: {max_organisations: 1}\n")
	last := fmt.Sprintf("  - {from: o%d, to: o%d, type: access}\n", n-1, n-2)
	base := mustParse(t, strings.Replace(src, last, "", 1))
	m := mustParse(t, src)
	r, err := Check(m, "2026-01-01")
	if err != nil {
		t.Fatal(err)
	}
	r.Anchor(base)
	var f *Finding
	for i := range r.Findings {
		if r.Findings[i].ID == "o0" {
			f = &r.Findings[i]
		}
	}
	if f == nil {
		t.Fatal("no finding for o0")
	}
	d := m.Dependencies[len(m.Dependencies)-1]
	if !f.Moved() || f.Pos != d.Pos {
		t.Fatalf("o0's finding is at %s (moved %v), want %s", f.Pos, f.Moved(), d.Pos)
	}
	if c := f.Causes[len(f.Causes)-1]; c.Pos != d.Pos || !strings.Contains(c.Message, `"o49" depends on "o48"`) {
		t.Errorf("last cause %s", c)
	}
	if f.MoreCauses+len(f.Causes) != n-1+2 { // the lines, the policy and the line it moved from
		t.Errorf("%d causes and %d more", len(f.Causes), f.MoreCauses)
	}
}

// paths on a long cycle runs Yen's algorithm over the states that branch,
// not every state of the way: a cycle of 8,000 took 7 s here and grew as
// its square. The ceiling is generous.
func TestPathsOnALongCycle(t *testing.T) {
	const n = 8000
	g, err := Build(mustParse(t, chainModel(n, true, "")))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ways, err := g.Paths("o0", fmt.Sprintf("o%d", n-1), model.Ransomware, 3)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > ceiling(2*time.Second) {
		t.Errorf("took %v", d)
	}
	if len(ways) == 0 || len(ways[0].Steps) != n {
		t.Fatalf("%d ways, the first of %d steps", len(ways), len(ways[0].Steps))
	}
	for i, s := range ways[0].Steps {
		if s.ID != fmt.Sprintf("o%d", i) {
			t.Fatalf("step %d is %s", i, s.ID)
		}
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
