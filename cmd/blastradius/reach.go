package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
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
  --all                in text, list every affected node with its path even
                       when more than 100 are: beyond that the text counts
                       them by effect, ICB and kind, as the explorer does
  --format text|json   how to print the result (default text; JSON always
                       lists every node)
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

	all     bool              // text lists every node, however many
	icbName map[string]string // the name of each ICB, for the grouped text
}

// reachListMax is how many affected nodes the text lists one by one;
// beyond it, it counts them by effect, ICB and kind unless --all.
const reachListMax = 100

func runReach(e *env, args []string) int {
	f := newFlags(reachCmd(), true, true)
	sf := newScenarioFlags(f, true)
	format := f.word("format", "text", "text", "json")
	all := f.Bool("all", false, "")
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
	res.all = *all
	res.icbName = map[string]string{}
	for _, n := range r.graph.Nodes() {
		if n.Kind == "icb" && n.Class == model.ClassOrganisation {
			res.icbName[n.ID] = n.Name
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
	grouped := !r.all && len(im.Affected) > reachListMax
	if grouped {
		fmt.Fprintf(w, "%s affected, more than %d: counted by effect, ICB and kind (--all lists each with its path).\n",
			english.Plural(len(im.Affected), "node"), reachListMax)
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
		if grouped {
			writeAreas(w, group, r.icbName)
			continue
		}
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
	for _, line := range graph.PeopleNotesText(im.PeopleNotes, 12) {
		fmt.Fprintln(w, line)
	}
	if len(im.MayStrain) > 0 {
		fmt.Fprintln(w, mayStrainText(im.MayStrain))
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

// reachAreasMax is how many ICBs a group of the grouped text names; the
// rest are counted on one line.
const reachAreasMax = 12

// writeAreas writes a group of the grouped text: the seeds among it, then
// its nodes by ICB (most first, those in no ICB last) and kind.
func writeAreas(w io.Writer, group []*graph.Affected, icbName map[string]string) {
	var seeds []string
	type area struct {
		icb   string
		nodes []*graph.Affected
	}
	byICB := map[string]*area{}
	var areas []*area
	for _, a := range group {
		if len(a.Path) == 1 {
			seeds = append(seeds, a.ID)
		}
		icb := a.ICB
		if a.Kind == "icb" && a.Class == model.ClassOrganisation {
			icb = a.ID
		}
		ar := byICB[icb]
		if ar == nil {
			ar = &area{icb: icb}
			byICB[icb] = ar
			areas = append(areas, ar)
		}
		ar.nodes = append(ar.nodes, a)
	}
	sort.SliceStable(areas, func(i, j int) bool {
		a, b := areas[i], areas[j]
		if (a.icb == "") != (b.icb == "") {
			return b.icb == ""
		}
		if len(a.nodes) != len(b.nodes) {
			return len(a.nodes) > len(b.nodes)
		}
		return a.icb < b.icb
	})
	if len(seeds) > 0 {
		fmt.Fprintf(w, "  seeds: %s\n", listShort(seeds, 12))
	}
	var rest []*graph.Affected
	named := 0
	for _, ar := range areas {
		if ar.icb != "" && named == reachAreasMax {
			rest = append(rest, ar.nodes...)
			continue
		}
		name := "in no ICB"
		if ar.icb != "" {
			named++
			name = icbName[ar.icb]
			if name == "" {
				name = ar.icb
			}
			name = strings.TrimSuffix(name, " Integrated Care Board") + " area"
		}
		fmt.Fprintf(w, "  %s: %s\n", name, kindCounts(ar.nodes))
	}
	if len(rest) > 0 {
		n := len(areas) - named
		if byICB[""] != nil {
			n--
		}
		fmt.Fprintf(w, "  %d more ICBs: %s\n", n, kindCounts(rest))
	}
}

// kindCounts says how many nodes of each kind a list holds, most first:
// "290 GP practices, 12 trusts".
func kindCounts(nodes []*graph.Affected) string {
	type kc struct {
		class model.Class
		kind  string
		n     int
	}
	var kinds []kc
	for _, a := range nodes {
		i := slices.IndexFunc(kinds, func(k kc) bool { return k.class == a.Class && k.kind == a.Kind })
		if i < 0 {
			kinds = append(kinds, kc{a.Class, a.Kind, 0})
			i = len(kinds) - 1
		}
		kinds[i].n++
	}
	sort.SliceStable(kinds, func(i, j int) bool {
		if kinds[i].n != kinds[j].n {
			return kinds[i].n > kinds[j].n
		}
		return kinds[i].kind < kinds[j].kind
	})
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		word := k.kind
		if k.class == model.ClassService {
			word += " service"
		}
		if d, ok := model.KindOf(k.class, k.kind); ok {
			parts[i] = english.Commas(k.n) + " " + d.Plural
			if k.n == 1 {
				parts[i] = "1 " + d.Singular
			}
			continue
		}
		parts[i] = english.Plural(k.n, word)
	}
	return english.Commas(len(nodes)) + " (" + strings.Join(parts, ", ") + ")"
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

// mayStrainText says where a timeline would add strained nodes to the
// worst case, by the helpers and stocks that would strain them.
func mayStrainText(ms []graph.MayStrain) string {
	byCause := map[string][]string{}
	var causes []string
	for _, m := range ms {
		for _, c := range m.By {
			if byCause[c] == nil {
				causes = append(causes, c)
			}
			byCause[c] = append(byCause[c], m.ID)
		}
	}
	slices.Sort(causes)
	var parts []string
	for _, c := range causes {
		parts = append(parts, fmt.Sprintf("%s (%s)", c, listShort(byCause[c], 8)))
	}
	return fmt.Sprintf("Strain needs time, so this worst case leaves it out: a timeline (blastradius timeline) may find %s strained, by %s.",
		english.Plural(len(ms), "node"), english.And(parts))
}
