package output

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/model"
)

// changedModels returns two versions of a model: n organisations and a
// supplier's service, and in the new version every organisation depends
// on the service, so the change adds n dependencies.
func changedModels(t testing.TB, n int) (old, new *model.Model) {
	t.Helper()
	gen := func(deps bool) *model.Model {
		var b strings.Builder
		b.WriteString("version: 1\nname: generated\norganisations:\n  - {id: supplier, name: Supplier, kind: supplier}\n")
		for i := range n {
			fmt.Fprintf(&b, "  - {id: trust-%04d, name: Trust %d, kind: trust}\n", i, i)
		}
		b.WriteString("services:\n  - {id: lims, name: Laboratory system, kind: pathology, operator: supplier}\ndependencies:\n")
		if deps {
			for i := range n {
				fmt.Fprintf(&b, "  - {from: trust-%04d, to: lims, type: service}\n", i)
			}
		} else {
			b.WriteString("  []\n")
		}
		m, err := model.Parse("generated.yaml", []byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	return gen(false), gen(true)
}

// TestMarkdownFits checks that a comment stays under MaxComment characters
// at any size of change, draws Mermaid only within Mermaid's limits, and
// says what it left out.
func TestMarkdownFits(t *testing.T) {
	for _, n := range []int{10, 499, 501, 2000} {
		old, new := changedModels(t, n)
		d, err := graph.Diff(old, new, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Dependencies.Added) != n {
			t.Fatalf("n=%d: %d dependencies added", n, len(d.Dependencies.Added))
		}
		var b bytes.Buffer
		if err := (Markdown{}).Format(&b, &Result{Delta: d, FailOn: graph.SeverityError, FailOnIncrease: -1}); err != nil {
			t.Fatal(err)
		}
		s := b.String()
		if len(s) >= MaxComment {
			t.Errorf("n=%d: the comment has %d characters", n, len(s))
		}
		if !strings.HasPrefix(s, Marker+"\n") {
			t.Errorf("n=%d: the comment does not start with the marker", n)
		}
		chart := ""
		if i := strings.Index(s, "```mermaid\n"); i >= 0 {
			chart = s[i+len("```mermaid\n"):]
			chart = chart[:strings.Index(chart, "```")]
		}
		// Past mermaidFoldAbove, the trusts that gained the laboratory fold
		// into one box: one arrow, however many they are.
		drawn := true
		if (chart != "") != drawn {
			t.Errorf("n=%d: diagram drawn %v, want %v", n, chart != "", drawn)
		}
		arrows := strings.Count(chart, "-->") + strings.Count(chart, "-.->")
		if want := min(n, mermaidFoldAbove); n <= mermaidFoldAbove && arrows != want || n > mermaidFoldAbove && arrows != 1 {
			t.Errorf("n=%d: %d arrows drawn", n, arrows)
		}
		if n > mermaidFoldAbove && !strings.Contains(chart, fmt.Sprintf("trust-0000, trust-0001, trust-0002 and %s more", english.Commas(n-3))) {
			t.Errorf("n=%d: the folded box does not say what it holds:\n%s", n, chart)
		}
		if len(chart) > mermaidMaxText || strings.Count(chart, "-->")+strings.Count(chart, "-.->") > mermaidMaxEdges {
			t.Errorf("n=%d: the diagram is past Mermaid's limits: %d characters", n, len(chart))
		}
		if !drawn && (!strings.Contains(s, "No diagram") || !strings.Contains(s, fmt.Sprintf("and %s more added left out", english.Commas(n-listed)))) {
			t.Errorf("n=%d: the comment does not say what it left out:\n%s", n, s)
		}
		if !strings.Contains(s, fmt.Sprintf("| dependencies | %s | 0 |", english.Commas(n))) {
			t.Errorf("n=%d: the summary does not count every change", n)
		}
	}
}

// TestMarkdownGuard checks the last guard: whatever a comment holds, it is
// cut under MaxComment characters with a note.
func TestMarkdownGuard(t *testing.T) {
	r := &Result{Report: &graph.Report{File: "m.yaml"}, FailOn: graph.SeverityError}
	for i := range 2000 {
		r.Report.Findings = append(r.Report.Findings, graph.Finding{Rule: "expect_spares", Severity: graph.SeverityError, Pos: model.Pos{File: "m.yaml", Line: i + 1},
			Message: strings.Repeat("a very long message ", 100)})
	}
	var b bytes.Buffer
	Markdown{}.Format(&b, r)
	if b.Len() >= MaxComment || !strings.Contains(b.String(), "left out") {
		t.Errorf("%d characters", b.Len())
	}
}

// TestDependenciesInOneDirection checks the convention of every output: a
// dependency written as the file writes it is in words, and an arrow, in
// text or in the Mermaid diagram, points the way an effect spreads, from
// the provider to the consumer.
func TestDependenciesInOneDirection(t *testing.T) {
	dep := graph.DepRef{From: "lgt", To: "synnovis-lims", Type: model.Service, Critical: true, Line: 7}
	if got, want := DepText(dep), "lgt depends on synnovis-lims (service)"; got != want {
		t.Errorf("DepText = %q, want %q", got, want)
	}
	d := &graph.Delta{Old: "a.yaml", New: "b.yaml", Dependencies: graph.DepDelta{Added: []graph.DepRef{dep}, Removed: []graph.DepRef{}}}
	for _, f := range []Formatter{Text{}, Markdown{}} {
		var b bytes.Buffer
		if err := f.Format(&b, &Result{Delta: d, FailOnIncrease: -1}); err != nil {
			t.Fatal(err)
		}
		s := b.String()
		if strings.Contains(s, "lgt →") || strings.Contains(s, "lgt -->") {
			t.Errorf("%T draws an arrow from the consumer:\n%s", f, s)
		}
		if !strings.Contains(s, "lgt depends on synnovis-lims") && !strings.Contains(s, "```mermaid") {
			t.Errorf("%T does not say the dependency in words:\n%s", f, s)
		}
	}
	chart, _ := mermaid(d)
	ids := map[string]string{}
	for _, line := range strings.Split(chart, "\n") {
		if id, label, ok := strings.Cut(strings.TrimSpace(line), "[\""); ok {
			ids[strings.TrimSuffix(label, "\"]")] = id
		}
	}
	if want := ids["synnovis-lims"] + " -->|service| " + ids["lgt"]; !strings.Contains(chart, want) {
		t.Errorf("the diagram should draw %q (provider to consumer):\n%s", want, chart)
	}
}

// Text from a model reaches the comment inert: no @mention notifies
// anyone, no #123 links an issue, no backtick opens a code span.
func TestMarkdownEscapesNames(t *testing.T) {
	f := graph.Finding{Rule: "expect_spares", Severity: graph.SeverityError, Message: "node \"@alice's #123 `lab`\" is reached", Pos: model.Pos{File: "m.yaml", Line: 3, Column: 1}, Check: "s: spares x"}
	r := &Result{Report: &graph.Report{File: "m.yaml", Checks: []graph.CheckResult{{Name: "spares x", Group: "s", Findings: []graph.Finding{f}}}, Findings: []graph.Finding{f}}, FailOn: graph.SeverityError}
	var b bytes.Buffer
	if err := (Markdown{}).Format(&b, r); err != nil {
		t.Fatal(err)
	}
	out := strings.TrimPrefix(b.String(), Marker)
	for _, raw := range []string{"@alice", "#123", "`lab`"} {
		if strings.Contains(out, raw) {
			t.Errorf("the comment has %q as it is:\n%s", raw, out)
		}
	}
	if !strings.Contains(out, "&#64;alice") {
		t.Errorf("the name is lost:\n%s", out)
	}
}

// Dependencies on as many providers as Mermaid draws edges cannot fold:
// the comment lists them instead of drawing them.
func TestMarkdownListsWhatCannotFold(t *testing.T) {
	d := &graph.Delta{Old: "a.yaml", New: "b.yaml", Dependencies: graph.DepDelta{Removed: []graph.DepRef{}}}
	for i := range mermaidMaxEdges + 1 {
		d.Dependencies.Added = append(d.Dependencies.Added, graph.DepRef{From: "trust", To: fmt.Sprintf("p%d", i), Type: model.Service, Critical: true})
	}
	var b bytes.Buffer
	if err := (Markdown{}).Format(&b, &Result{Delta: d, FailOnIncrease: -1}); err != nil {
		t.Fatal(err)
	}
	if s := b.String(); strings.Contains(s, "```mermaid") || !strings.Contains(s, "No diagram") || !strings.Contains(s, fmt.Sprintf("and %s more added left out", english.Commas(mermaidMaxEdges+1-listed))) {
		t.Errorf("the comment draws what Mermaid cannot, or does not say what it left out:\n%.2000s", s)
	}
}

// A file name cannot end its code span and write Markdown of its own.
func TestMarkdownFileNamesStayInTheirSpan(t *testing.T) {
	name := "a`\n### no new findings\n`b.yaml"
	r := &Result{Report: &graph.Report{File: name}, FailOn: graph.SeverityError}
	r.Report.Findings = []graph.Finding{{Rule: "expect_spares", Severity: graph.SeverityError, Pos: model.Pos{File: name, Line: 1}, Message: "m"}}
	var b bytes.Buffer
	Markdown{}.Format(&b, r)
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(line, "### no new") || strings.HasPrefix(line, "`b.yaml") {
			t.Errorf("the name broke out: %q", line)
		}
	}
	if want := "`` a`\\u000a### no new findings\\u000a`b.yaml ``"; !strings.Contains(b.String(), want) {
		t.Errorf("no %s in\n%s", want, b.String())
	}
}
