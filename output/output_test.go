package output

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
	"github.com/blastradius/blastradius/timeline"
)

const today = "2026-11-23"

func TestExit(t *testing.T) {
	err := graph.Finding{Rule: "expect_spares", Severity: graph.SeverityError}
	warn := graph.Finding{Rule: graph.RuleUnusedException, Severity: graph.SeverityWarning}
	waived := err
	waived.Waiver = &graph.Waiver{Reason: "r", Until: "2099-01-01"}
	check := func(failOn graph.Severity, fs ...graph.Finding) *Result {
		return &Result{Report: &graph.Report{Findings: fs}, FailOn: failOn}
	}
	diff := func(increase, failOnIncrease int, fs ...graph.Finding) *Result {
		d := &graph.Delta{MaxIncrease: increase}
		d.Findings.New = fs
		return &Result{Delta: d, FailOn: graph.SeverityError, FailOnIncrease: failOnIncrease}
	}
	cases := []struct {
		name string
		r    *Result
		want int
	}{
		{"no findings", check(graph.SeverityError), ExitOK},
		{"an error", check(graph.SeverityError, err), ExitProblem},
		{"a warning under --fail-on error", check(graph.SeverityError, warn), ExitOK},
		{"a warning under --fail-on warning", check(graph.SeverityWarning, warn), ExitProblem},
		{"a waived error", check(graph.SeverityError, waived), ExitOK},
		{"a waived error under --fail-on warning", check(graph.SeverityWarning, waived), ExitOK},
		{"waived and warning", check(graph.SeverityWarning, waived, warn), ExitProblem},
		{"invalid model", &Result{Report: graph.ModelReport("m.yaml", nil), Invalid: true}, ExitError},
		{"diff, nothing new", diff(0, -1), ExitOK},
		{"diff, a new error", diff(0, -1, err), ExitProblem},
		{"diff, a new warning", diff(0, -1, warn), ExitOK},
		{"diff, growth without a limit", diff(5, -1), ExitOK},
		{"diff, growth within the limit", diff(5, 5), ExitOK},
		{"diff, growth past the limit", diff(6, 5), ExitProblem},
		{"diff, growth past a zero limit", diff(1, 0), ExitProblem},
	}
	for _, c := range cases {
		if got := c.r.Exit(); got != c.want {
			t.Errorf("%s: exit %d, want %d", c.name, got, c.want)
		}
	}
}

func load(t testing.TB, path string) *model.Model {
	t.Helper()
	m, err := model.Load(filepath.Join("..", path))
	if err != nil {
		t.Fatal(err)
	}
	m.File = path
	return m
}

// results returns a result of every kind on the examples: check on each
// example, on the widened model and on the model of the timeline's rules
// (under both --fail-on), check --base, diff, and a model that does not
// load. Check and Diff apply the timeline's rules, as the commands do.
func results(t testing.TB) map[string]*Result {
	t.Helper()
	out := map[string]*Result{}
	paths, _ := filepath.Glob("../examples/*.yaml")
	paths = append(paths, "../testdata/widened/synnovis-2024.yaml", "../testdata/timeline-rules/model.yaml")
	for _, p := range paths {
		p = strings.TrimPrefix(p, "../")
		for _, failOn := range []graph.Severity{graph.SeverityError, graph.SeverityWarning} {
			rep, err := graph.Check(load(t, p), today, timeline.Checks)
			if err != nil {
				t.Fatal(err)
			}
			out[fmt.Sprintf("check %s --fail-on %s", p, failOn)] = &Result{Report: rep, FailOn: failOn, FailOnIncrease: -1}
		}
	}
	old, widened := load(t, "examples/synnovis-2024.yaml"), load(t, "testdata/widened/synnovis-2024.yaml")
	rep, _ := graph.Check(widened, today, timeline.Checks)
	rep.Anchor(old)
	out["check --base"] = &Result{Report: rep, FailOn: graph.SeverityError}
	d, err := graph.Diff(old, widened, today, timeline.Checks)
	if err != nil {
		t.Fatal(err)
	}
	out["diff"] = &Result{Delta: d, FailOn: graph.SeverityError, FailOnIncrease: -1}
	out["diff --fail-on-increase 0"] = &Result{Delta: d, FailOn: graph.SeverityError, FailOnIncrease: 0}
	empty, err := model.Parse("empty.yaml", []byte("version: 1\norganisations:\n  - id: a\n    name: A\n    kind: trust\n"))
	if err != nil {
		t.Fatal(err)
	}
	rep, _ = graph.Check(empty, today)
	out["check, nothing to check"] = &Result{Report: rep, FailOn: graph.SeverityError, FailOnIncrease: -1}
	if d, err = graph.Diff(load(t, "testdata/timeline-rules/before.yaml"), load(t, "testdata/timeline-rules/model.yaml"), today, timeline.Checks); err != nil {
		t.Fatal(err)
	}
	out["diff of the timeline's rules"] = &Result{Delta: d, FailOn: graph.SeverityError, FailOnIncrease: -1}
	standards := load(t, "examples/synnovis-2024.yaml")
	src, err := os.ReadFile("../examples/policies/standards.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if standards, err = model.ParseScenarios(standards, "examples/policies/standards.yaml", src, model.DefaultLimits); err != nil {
		t.Fatal(err)
	}
	if rep, err = graph.Check(standards, today, timeline.Checks); err != nil {
		t.Fatal(err)
	}
	out["check --scenarios examples/policies/standards.yaml"] = &Result{Report: rep, FailOn: graph.SeverityError, FailOnIncrease: -1}
	same, _ := graph.Diff(old, old, today, timeline.Checks)
	out["diff, unchanged"] = &Result{Delta: same, FailOn: graph.SeverityError, FailOnIncrease: 0}
	for _, p := range []string{"testdata/invalid/unknown-id.yaml", "testdata/invalid/syntax.yaml", "testdata/invalid/references.yaml"} {
		_, err := model.Load(filepath.Join("..", p))
		list, ok := err.(model.ErrorList)
		if !ok || len(list) == 0 {
			t.Fatalf("%s: want load errors, got %v", p, err)
		}
		for _, e := range list {
			e.File = p
		}
		out["invalid "+p] = &Result{Report: graph.ModelReport(p, list), Invalid: true}
	}
	return out
}

// TestEveryFormatEveryResult walks every registered format through every
// kind of result: none may fail or write nothing.
func TestEveryFormatEveryResult(t *testing.T) {
	rs := results(t)
	for _, f := range Formats {
		for name, r := range rs {
			var b bytes.Buffer
			if err := f.Format(&b, r); err != nil {
				t.Errorf("%s on %s: %v", f.Name, name, err)
			}
			if b.Len() == 0 {
				t.Errorf("%s on %s: no output", f.Name, name)
			}
		}
		if fm, ok := Lookup(f.Name); !ok || fm != f.Formatter {
			t.Errorf("Lookup(%q) does not find it", f.Name)
		}
	}
	if _, ok := Lookup("yaml"); ok {
		t.Error("Lookup finds an unregistered format")
	}
}

func TestInvalidModelIsFindings(t *testing.T) {
	r := results(t)["invalid testdata/invalid/unknown-id.yaml"]
	var b bytes.Buffer
	SARIF{}.Format(&b, r)
	for _, want := range []string{`"ruleId": "model"`, `"startLine": 7`, `"uri": "testdata/invalid/unknown-id.yaml"`, `did you mean \"synnovis\"?`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("SARIF lacks %s:\n%s", want, b.String())
		}
	}
	b.Reset()
	JUnit{}.Format(&b, r)
	if !strings.Contains(b.String(), `errors="1"`) || !strings.Contains(b.String(), "<error ") {
		t.Errorf("JUnit does not report the load errors as an error:\n%s", b.String())
	}
}

func TestURI(t *testing.T) {
	root, _ := filepath.Abs("..")
	r := &Result{Root: root}
	abs, _ := filepath.Abs("../examples/synnovis-2024.yaml")
	cases := map[string]string{
		abs:                              "examples/synnovis-2024.yaml",
		"../examples/synnovis-2024.yaml": "examples/synnovis-2024.yaml",
		"<stdin>":                        "stdin",
		"HEAD~1:examples/x.yaml":         "examples/x.yaml",
		"../testdata/a b/model #1.yaml":  "testdata/a%20b/model%20%231.yaml",
	}
	for in, want := range cases {
		if got := r.URI(in); got != want {
			t.Errorf("URI(%q) = %q, want %q", in, got, want)
		}
	}
	if got := (&Result{}).URI("/abs/model.yaml"); strings.HasPrefix(got, "/") {
		t.Errorf("URI without a root is absolute: %q", got)
	}
}

var update = flag.Bool("update", false, "rewrite the rules section of docs/ci.md")

const (
	rulesStart = "<!-- rules: generated from graph.CheckRules by \"go test ./output -update\" -->\n"
	rulesEnd   = "<!-- end of rules -->\n"
)

// rulesDoc is the rules section of docs/ci.md, from graph.CheckRules.
func rulesDoc() string {
	var b strings.Builder
	for _, ri := range graph.CheckRules {
		fmt.Fprintf(&b, "\n### %s\n\n%s Severity: %s.\n\n%s\n\n**What to do:** %s\n\n", ri.ID, ri.Description, ri.Severity, ri.Full, RuleHelp(ri.ID))
	}
	return b.String()
}

// TestRulesDocumented checks that the rules section of docs/ci.md, which
// the rules' help links point to, is generated from graph.CheckRules.
func TestRulesDocumented(t *testing.T) {
	const path = "../docs/ci.md"
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(src)
	i, j := strings.Index(doc, rulesStart), strings.Index(doc, rulesEnd)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the markers of the rules section", path)
	}
	got, want := doc[i+len(rulesStart):j], rulesDoc()
	if got != want {
		if *update {
			os.WriteFile(path, []byte(doc[:i+len(rulesStart)]+want+doc[j:]), 0o644)
			return
		}
		t.Errorf("the rules section of %s is out of date (run go test ./output -update)", path)
	}
	for _, ri := range graph.CheckRules {
		if ri.Full == "" || RuleHelp(ri.ID) == "" || ri.Description == "" {
			t.Errorf("rule %s lacks a description or help", ri.ID)
		}
		if !strings.Contains(want, "\n### "+ri.ID+"\n") {
			t.Errorf("no section for %s, which %s points to", ri.ID, RuleHelpURI(ri.ID))
		}
	}
}

// TestRuleHelpIsForRules checks that every help of ruleHelp is for a rule
// that Check applies: help left behind by a rule taken away fails here.
func TestRuleHelpIsForRules(t *testing.T) {
	for id := range ruleHelp {
		if !slices.ContainsFunc(graph.CheckRules, func(ri graph.RuleInfo) bool { return ri.ID == id }) {
			t.Errorf("help for %q, which is no rule of graph.CheckRules", id)
		}
	}
}

// TestIncreaseInEveryFormat checks that a blast radius grown past
// --fail-on-increase is a finding in every format, on the line of the
// change that caused it (the widened model's new dependency of lgt on
// synnovis-lims), not only a failed exit code.
func TestIncreaseInEveryFormat(t *testing.T) {
	r := results(t)["diff --fail-on-increase 0"]
	if r.Exit() != ExitProblem {
		t.Fatalf("exit %d, want %d", r.Exit(), ExitProblem)
	}
	f, ok := r.Delta.Increase(0)
	if !ok || f.Line != 174 || f.Rule != graph.RuleFailOnIncrease {
		t.Fatalf("Increase(0) = %v, %v; want a finding at line 174", f, ok)
	}
	if _, ok := r.Delta.Increase(r.Delta.MaxIncrease); ok {
		t.Error("a growth equal to the limit is a finding")
	}
	for _, fm := range Formats {
		var b bytes.Buffer
		if err := fm.Format(&b, r); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "fail_on_increase") || !strings.Contains(b.String(), `depend on \"synnovis-lims\"`) && !strings.Contains(b.String(), `depend on "synnovis-lims"`) && !strings.Contains(b.String(), "depend on &#34;synnovis-lims&#34;") {
			t.Errorf("%s does not report the growth and the change that caused it:\n%s", fm.Name, b.String())
		}
	}
}

// The title of a check names the scenarios file it read, as JUnit's
// <testsuites name> shows it.
func TestTitleNamesTheScenarios(t *testing.T) {
	r := &Result{Report: &graph.Report{File: "m.yaml"}, Scenarios: "standards.yaml"}
	if got, want := r.Title(), "check m.yaml --scenarios standards.yaml"; got != want {
		t.Errorf("Title() = %q, want %q", got, want)
	}
}
