package main

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/model"
)

func chokepointsCmd() *command {
	return &command{
		name:    "chokepoints",
		summary: "where one change contains the most: dominators, minimum cuts, best single control",
		usage: `Usage: blastradius chokepoints MODEL [--compromise ID,... | --scenario NAME] [flags]

With a compromise, for that scenario:
  - dominators: nodes on every way by which the effect reaches some
    affected organisations; keep one of them clean and those are spared;
  - a minimum cut: the fewest dependencies whose removal leaves every
    organisation to protect unaffected (--protect; default: every
    organisation the scenario affects but the seeds); any dependency,
    hosting among them, can be cut, an operator cannot;
  - the single control (mfa or segmentation on a node) or alternative for a
    critical dependency that would spare the most, each tried exactly.
Figures of people count each person once (see docs/model.md); a dependency
is written in words, as the file has it: "a depends on b (service)".

Without a compromise, for the whole network: the single changes that most
shrink the total blast radius, summed over every node as the only seed.
Every candidate change is tried or ruled out by a bound of what it could
spare (about a minute on a national model, with a progress line); a far
larger model may stop at a budget of runs, and the last line says so.

Flags:
  --compromise ID,...  the seeds of a scenario
  --scenario NAME      take the seeds and mode from a scenario of the file,
                       with its assumptions made
` + modeHelp + `
  --protect ID,...     organisations a cut keeps unaffected
  --top N              how many dominators and changes to show (default 10)
  --format text|json   how to print the result (default text)
  -o FILE              write the result to FILE, atomically

Exit codes: 0 done; 2 the model is invalid, an id is unknown, or a flag is wrong.

Examples:
  blastradius chokepoints examples/synnovis-2024.yaml --compromise synnovis-access
  blastradius chokepoints examples/synnovis-2024.yaml --compromise synnovis --protect gstt,kch
  blastradius chokepoints examples/synnovis-2024.yaml --scenario "MFA on the laboratory system"
  blastradius chokepoints national.yaml --top 5
`,
		run: runChokepoints,
	}
}

func runChokepoints(e *env, args []string) int {
	f := newFlags(chokepointsCmd(), true, true)
	var protect listFlag
	sf := newScenarioFlags(f, true)
	f.Var(&protect, "protect", "")
	top := f.Int("top", 10, "")
	format := f.word("format", "text", "text", "json")
	path, code, ok := f.parseModel(e, args)
	if !ok {
		return code
	}
	if *top < 1 {
		return f.usageError(e, "--top %d: use 1 or more", *top)
	}
	if code, ok := sf.check(e, f, false); !ok {
		return code
	}
	if len(protect) > 0 && !sf.given() {
		return f.usageError(e, "--protect needs a scenario: add --compromise ID or --scenario NAME")
	}
	m, g, ok := build(e, path, f.limits)
	if !ok {
		return exitError
	}
	r, ok := sf.resolve(e, f, path, m, g)
	if !ok {
		return exitError
	}
	g, seeds, md := r.graph, r.seeds, r.mode
	if len(seeds) == 0 {
		var cov graph.Coverage
		gains, err := analyse(e, "trying changes", func(o graph.Options) (gs []graph.Gain, err error) {
			gs, cov, err = g.NetworkGainsCovered(md, *top, 0, o)
			return gs, err
		})
		if err != nil {
			return reachError(e, path, err)
		}
		res := networkGainsJSON{Model: m.Name, Mode: md, Changes: gains, Coverage: cov}
		return emitResult(e, f, *format, res, func(w io.Writer) { writeNetworkGains(w, res) })
	}
	cp, err := analyse(e, "trying changes", func(o graph.Options) (*graph.Chokepoints, error) { return g.Chokepoints(seeds, md, protect, *top, o) })
	if err != nil {
		return reachError(e, path, err)
	}
	return emitResult(e, f, *format, cp, func(w io.Writer) { writeChokepoints(w, cp, m.File) })
}

type networkGainsJSON struct {
	Model   string       `json:"model"`
	Mode    model.Mode   `json:"mode"`
	Changes []graph.Gain `json:"changes"`
	// Coverage says which candidate changes the search tried, ruled out
	// by their bound, or left untried at its budget.
	Coverage graph.Coverage `json:"coverage"`
}

// findScenario looks a scenario up by name, reporting a near miss.
func findScenario(e *env, path string, m *model.Model, name string) (*model.Scenario, bool) {
	if s := m.Scenario(name); s != nil {
		return s, true
	}
	var names []string
	for _, s := range m.Scenarios {
		names = append(names, s.Name)
	}
	hint := "the model has no scenarios"
	if len(names) > 0 {
		hint = "scenarios: " + quoteAll(names)
		if sg := model.Suggest(name, names); sg != "" {
			hint = fmt.Sprintf("did you mean %q?", sg)
		}
	}
	fmt.Fprintf(e.stderr, "blastradius: %s: no scenario %q (%s)\n", path, name, hint)
	return nil, false
}

// writeChokepoints writes cp as text; root is the model's root file, where
// a dependency that names no file is written.
func writeChokepoints(w io.Writer, cp *graph.Chokepoints, root string) {
	fmt.Fprintf(w, "Chokepoints for a compromise of %s (%s)\n", strings.Join(cp.Seeds, ", "), cp.Mode)
	if cp.Model != "" {
		fmt.Fprintf(w, "Model: %s\n", cp.Model)
	}
	fmt.Fprintf(w, "As it is: %s\n", summaryLine(cp.Summary))
	fmt.Fprintf(w, "\nOn every path to the organisations they shelter (keep one clean and they are spared):\n")
	if len(cp.Dominators) == 0 {
		fmt.Fprintln(w, "  none: every affected organisation is reached directly from a seed, or by more than one way")
	}
	for _, d := range cp.Dominators {
		people := ""
		if d.People > 0 {
			people = ", at least " + english.Plural(d.People, "person")
		}
		fmt.Fprintf(w, "  %-*s  %s%s: %s\n", idWidth(cp), d.ID, english.Plural(d.Organisations, "organisation"), people, listShort(d.Dominates, 6))
	}
	c := cp.Cut
	fmt.Fprintf(w, "\nFewest dependencies to cut to protect %s:\n", listShort(c.Protect, 6))
	switch {
	case c.Unbreakable:
		fmt.Fprintln(w, "  none will do: a seed runs a node to protect, and an operator cannot be cut")
	case len(c.Protect) == 0:
		fmt.Fprintln(w, "  nothing to cut: the scenario reaches none of them")
	default:
		fmt.Fprintf(w, "  %s:\n", english.Plural(c.Size, "dependency"))
		shown := c.Dependencies
		if len(shown) > 20 {
			shown = shown[:20]
		}
		for _, d := range shown {
			at := ""
			if pos := (model.Pos{File: cmp.Or(d.File, root), Line: d.Line, Column: d.Column}); pos.IsValid() {
				at = ", " + pos.String()
			}
			fmt.Fprintf(w, "    %s depends on %s (%s%s)\n", d.From, d.To, d.Type, at)
		}
		if len(shown) < len(c.Dependencies) {
			fmt.Fprintf(w, "    and %s more (--format json lists them all)\n", english.Commas(len(c.Dependencies)-len(shown)))
		}
	}
	if len(c.Spared) > 0 {
		fmt.Fprintf(w, "  already spared: %s\n", strings.Join(c.Spared, ", "))
	}
	fmt.Fprintf(w, "\nBest single changes:\n")
	writeGains(w, cp.Changes, "")
}

func writeGains(w io.Writer, gains []graph.Gain, suffix string) {
	if len(gains) == 0 {
		fmt.Fprintln(w, "  none: no single control or alternative changes the result")
		return
	}
	for _, g := range gains {
		var parts []string
		switch {
		case g.People > 0:
			parts = append(parts, fmt.Sprintf("spares %s and %s", english.Plural(g.Organisations, "organisation"), english.Plural(g.People, "person")))
		case g.Organisations > 0:
			parts = append(parts, "spares "+english.Plural(g.Organisations, "organisation"))
		}
		if g.Disruptions > 0 {
			parts = append(parts, fmt.Sprintf("avoids %s", english.Plural(g.Disruptions, "disruption")))
		}
		fmt.Fprintf(w, "  %s %s%s\n", g.Change, strings.Join(parts, " and "), suffix)
	}
}

func writeNetworkGains(w io.Writer, r networkGainsJSON) {
	fmt.Fprintf(w, "Single changes that most shrink the whole network's blast radius (%s)\n", r.Mode)
	if r.Model != "" {
		fmt.Fprintf(w, "Model: %s\n", r.Model)
	}
	fmt.Fprintln(w, "Figures are summed over every organisation and service as the only seed: organisations, the people")
	fmt.Fprintln(w, "they serve (each counted once within one seed's radius), and disruptions of organisations.")
	fmt.Fprintln(w)
	writeGains(w, r.Changes, "")
	fmt.Fprintln(w)
	fmt.Fprintln(w, coverageText(r.Coverage, r.Changes))
}

// coverageText says what the search of the whole network covered: every
// candidate, or where it stopped and what the untried could spare at most.
func coverageText(c graph.Coverage, best []graph.Gain) string {
	n := english.Commas[int]
	tried := fmt.Sprintf("%s of %s tried", n(c.Tried), english.Plural(c.Candidates, "candidate change"))
	if c.Complete() {
		if c.RuledOut == 0 {
			return fmt.Sprintf("Every candidate was tried (%s).", english.Plural(c.Candidates, "candidate change"))
		}
		return fmt.Sprintf("Every candidate is covered: %s; the other %s could not beat the changes above (each spares at most what the scenarios reaching it affect).", tried, n(c.RuledOut))
	}
	text := fmt.Sprintf("The search stopped at its budget: %s, %s ruled out by their bound, %s untried, each of which could spare at most %s.",
		tried, n(c.RuledOut), n(c.Untried), english.Plural(c.UntriedBound, "organisation"))
	if len(best) > 0 && c.UntriedBound <= best[len(best)-1].Organisations {
		text += " None of them can beat the changes above."
	} else {
		text += " An untried change might beat the last changes above."
	}
	return text
}

func idWidth(cp *graph.Chokepoints) int {
	n := 0
	for _, d := range cp.Dominators {
		n = max(n, len(d.ID))
	}
	return n
}

func listShort(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %s more", strings.Join(ids[:n], ", "), english.Commas(len(ids)-n))
}
