package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/internal/textsafe"
	"github.com/blastradius/blastradius/model"
)

func reachCmd() *command {
	return &command{
		name:    "reach",
		summary: "the blast radius of one compromise: who goes down, who leaks data, and why",
		usage: `Usage: blastradius reach MODEL --compromise ID[,ID...] [flags]
       blastradius reach MODEL --scenario NAME [flags]

Computes what a compromise of the named organisations or services reaches:
which organisations are compromised, disrupted, degraded or exposed, each with
one shortest path from a seed that explains it, and a summary of organisations
affected and the people they serve, each person counted once. A path reads
the way the effect spread: in a → b, b depends on a (or a runs b). Flags may
come before or after MODEL.

Flags:
  --compromise ID,...  the seeds: organisations or services the attacker controls
  --mode M             ransomware (default: compromised nodes go down) or
                       exfiltration (they stay up; data leaves); beside
                       --scenario it overrides the scenario's mode
  --scenario NAME      run a scenario of the model file, with its assumptions,
                       and show the result beside the unchanged model's
  --format text|json   how to print the result (default text)
  -o FILE              write the result to FILE, atomically

Exit codes: 0 done; 2 the model is invalid, an id is unknown, or a flag is wrong.

Examples:
  blastradius reach examples/synnovis-2024.yaml --compromise synnovis
  blastradius reach examples/alder-hey-gateway-2024.yaml --compromise digital-gateway --mode exfiltration
  blastradius reach examples/synnovis-2024.yaml --scenario "MFA on the laboratory system" --format json
`,
		run: runReach,
	}
}

// reachJSON is the shape docs/json.md documents: an Impact, with a
// scenario's name and baseline added.
type reachJSON struct {
	*graph.Impact
	Scenario string        `json:"scenario,omitempty"`
	Baseline *graph.Impact `json:"baseline,omitempty"`
}

func runReach(e *env, args []string) int {
	f := newFlags(reachCmd(), true, true)
	sf := newScenarioFlags(f, true)
	format := f.word("format", "text", "text", "json")
	path, code, ok := f.parseModel(e, args)
	if !ok {
		return code
	}
	if code, ok := sf.check(e, f, true); !ok {
		return code
	}
	m, g, ok := build(e, path, f.limits)
	if !ok {
		return exitError
	}
	r, ok := sf.resolve(e, f, path, m, g)
	if !ok {
		return exitError
	}
	res := reachJSON{Scenario: r.name()}
	seedIDs, md := r.seeds, r.mode
	var baseline *graph.Graph
	if r.graph != r.base {
		baseline = r.base
	}
	im, err := r.graph.Reach(seedIDs, md)
	if err != nil {
		return reachError(e, path, err)
	}
	res.Impact = im
	if baseline != nil {
		if res.Baseline, err = baseline.Reach(seedIDs, md); err != nil {
			return reachError(e, path, err)
		}
	}
	return emitResult(e, f, *format, res, func(w io.Writer) { writeReachText(w, res) })
}

func buildModel(e *env, path string, m *model.Model) (*graph.Graph, bool) {
	g, err := graph.Build(m)
	if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %s: %v\n", path, err)
		return nil, false
	}
	return g, true
}

// reachError reports an analysis that could not run (an unknown id, an
// interrupt) against the model file, and returns exit 2.
func reachError(e *env, path string, err error) int {
	fmt.Fprintf(e.stderr, "blastradius: %s: %v\n", path, err)
	return exitError
}

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

var effectTitle = map[graph.Effect]string{
	graph.Compromised: "Compromised: the attacker controls it",
	graph.Disrupted:   "Disrupted: cannot deliver its services",
	graph.Degraded:    "Degraded: works with reduced capability",
	graph.Exposed:     "Exposed: its data was held by a compromised node",
}

// writeReachText writes the report an ICB digital lead reads: grouped by
// effect, with names, ODS codes and paths, and a summary line.
func writeReachText(out io.Writer, r reachJSON) {
	w := textsafe.NewWriter(out)
	defer w.Flush()
	im := r.Impact
	title := fmt.Sprintf("Compromise of %s (%s)", strings.Join(im.Seeds, ", "), im.Mode)
	if r.Scenario != "" {
		title = fmt.Sprintf("Scenario %q: compromise of %s (%s)", r.Scenario, strings.Join(im.Seeds, ", "), im.Mode)
	}
	fmt.Fprintln(w, title)
	if im.Model != "" {
		fmt.Fprintf(w, "Model: %s\n", im.Model)
	}
	for _, a := range im.Affected {
		if len(a.Path) > 1 {
			fmt.Fprintln(w, spreadNote)
			break
		}
	}
	for _, eff := range graph.Effects {
		var group []*graph.Affected
		for _, a := range im.Affected {
			if a.Impact == eff {
				group = append(group, a)
			}
		}
		if len(group) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s (%s)\n", effectTitle[eff], countNodes(group))
		width := 0
		for _, a := range group {
			width = max(width, len(a.ID))
		}
		for _, a := range group {
			fmt.Fprintf(w, "  %-*s  %s\n", width, a.ID, describeNode(a))
			if len(a.Path) > 1 {
				fmt.Fprintf(w, "  %-*s  path: %s\n", width, "", pathText(a))
			}
		}
	}
	fmt.Fprintf(w, "\n%s\n", summaryLine(im.Summary))
	if s := im.Summary; s.Patients != s.People {
		fmt.Fprintf(w, "People counts each person once; the organisations' own figures add up to %s, but they overlap.\n", english.Commas(s.Patients))
	}
	if r.Baseline != nil {
		b := r.Baseline.Summary
		fmt.Fprintf(w, "Without the scenario's assumptions: %s\n", summaryLine(b))
		spared, added := orgDifference(r.Baseline, im), orgDifference(im, r.Baseline)
		switch {
		case len(spared) == 0 && len(added) == 0:
			fmt.Fprintln(w, "The assumptions change no organisation's fate.")
		default:
			if len(spared) > 0 {
				fmt.Fprintf(w, "The assumptions spare %s: %s.\n", english.Plural(len(spared), "organisation"), listShort(spared, 12))
			}
			if len(added) > 0 {
				fmt.Fprintf(w, "The assumptions newly affect %s: %s.\n", english.Plural(len(added), "organisation"), listShort(added, 12))
			}
		}
	}
}

// orgDifference lists the organisations affected in a but not in b.
func orgDifference(a, b *graph.Impact) []string {
	var out []string
	for _, x := range a.Affected {
		if x.Class == model.ClassOrganisation && b.Of(x.ID) == nil {
			out = append(out, x.ID)
		}
	}
	sort.Strings(out)
	return out
}

func describeNode(a *graph.Affected) string {
	parts := []string{a.Name}
	kind := a.Kind
	if a.Class == model.ClassService {
		kind += " service"
	}
	if a.ODS != "" {
		kind += " " + a.ODS
	}
	parts = append(parts, kind)
	if a.Patients > 0 {
		parts = append(parts, english.Plural(a.Patients, "patient"))
	}
	var also []string
	for _, x := range a.Effects {
		if x != a.Impact {
			also = append(also, x.String())
		}
	}
	if len(also) > 0 {
		parts = append(parts, "also "+strings.Join(also, ", "))
	}
	return strings.Join(parts, " · ")
}

// spreadNote states the one meaning of an arrow in every text output.
const spreadNote = "Arrows point the way an effect spreads: in a → b, b depends on a (or a runs b)."

// pathText writes a path with its relations; a path longer than
// graph.MaxPathSteps shows its last steps, after the count of those before.
func pathText(a *graph.Affected) string {
	rels := make([]string, len(a.Via))
	for i, r := range a.Via {
		rels[i] = string(r)
	}
	s := strings.Join(a.Path, " → ") + " (" + strings.Join(rels, ", ") + ")"
	if a.PathOmitted > 0 {
		s = "…" + english.Plural(a.PathOmitted, "more step") + " → " + s
	}
	return s
}

// countNodes says how many organisations and services a group holds.
func countNodes(group []*graph.Affected) string {
	orgs := 0
	for _, a := range group {
		if a.Class == model.ClassOrganisation {
			orgs++
		}
	}
	var parts []string
	if orgs > 0 {
		parts = append(parts, english.Plural(orgs, "organisation"))
	}
	if svcs := len(group) - orgs; svcs > 0 {
		parts = append(parts, english.Plural(svcs, "service"))
	}
	return strings.Join(parts, ", ")
}

// summaryLine states a radius in words, as a sentence.
func summaryLine(s graph.Summary) string { return s.Text() + "." }

func newJSONEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc
}
