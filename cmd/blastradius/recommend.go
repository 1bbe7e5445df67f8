package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/blastradius/blastradius/explore"
	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/model"
	"github.com/blastradius/blastradius/timeline"
)

func recommendCmd() *command {
	return &command{
		name:    "recommend",
		summary: "the changes (controls, alternatives, removed dependencies) that cut expected impact the most",
		usage: `Usage: blastradius recommend MODEL [--budget K] [--scenario NAME | --compromise ID,...] [flags]

Chooses, one at a time, the K changes that cut expected impact the most: a
control added to a node (mfa, segmentation, patching, supported-systems, edr,
monitoring), an alternative added to a critical service dependency (a second
provider or a fallback the compromise does not reach), or a dependency
removed. Each is measured on the same sampled worlds with and without it, so
the reduction's 95% interval is that of a paired difference, and each
assumes the changes chosen before it.

Expected impact is, without --scenario or --compromise, the organisations
affected a year on average over every node where an attack may start (its
entry likelihood times its expected radius, added up); with them, the
expected organisations affected by that one compromise.

With --timeline, and a --scenario or --compromise, it ranks changes to
capacity instead, each tried alone on the timeline (as the timeline command
computes it, with the scenario's assumptions): each helper of the model
(the provider of an aid link) as a new aid link, on the terms of its first
link in the file, to every organisation the timeline finds short that needs
a short provider of the helper's kind, and each stock the timeline draws on
with twice the days held. They are ranked by the activity saved over the
timeline, added up over its units, then by the organisation-days strained
saved, then by the service-days saved; the first K that save something are
shown, each with its what-if for the explorer (serve) and an assume:
block.

Flags:
  --budget K           how many changes to choose (default 3)
  --timeline           rank changes to capacity by what they save over the timeline
  --scenario NAME      cut the expected radius of a scenario of the model file
  --compromise ID,...  cut the expected radius of this compromise
` + modeHelp + `
  --samples N          worlds to draw (default 1000)
  --seed S             chooses the worlds (default 1)
  --format text|json   how to print the result (default text)
  -o FILE              write the result to FILE, atomically

Exit codes: 0 done; 2 the model is invalid, an id is unknown, or a flag is wrong.

Examples:
  blastradius recommend examples/synnovis-2024.yaml
  blastradius recommend examples/synnovis-2024.yaml --budget 1 --scenario "Qilin ransomware, June 2024"
  blastradius recommend examples/wirral-2024.yaml --format json
  blastradius recommend examples/synnovis-2024.yaml --timeline --scenario "Qilin ransomware, June 2024"
`,
		run: runRecommend,
	}
}

type recommendJSON struct {
	Scenario string `json:"scenario,omitempty"`
	*graph.Recommendations
}

func runRecommend(e *env, args []string) int {
	f := newFlags(recommendCmd(), true, true)
	sf := newScenarioFlags(f, true)
	smp := newSamplingFlags(f, graph.DefaultRiskSamples)
	budget := f.Int("budget", 3, "")
	onTimeline := f.Bool("timeline", false, "")
	format := f.word("format", "text", "text", "json")
	path, code, ok := f.parseModel(e, args)
	if !ok {
		return code
	}
	if code, ok := sf.check(e, f, false); !ok {
		return code
	}
	if code, ok := smp.check(e, f); !ok {
		return code
	}
	if *budget < 1 {
		return f.usageError(e, "--budget %d: use a number of changes from 1 up", *budget)
	}
	if *onTimeline {
		switch {
		case !sf.given():
			return f.usageError(e, "--timeline: name what is compromised with --scenario NAME or --compromise ID[,ID...]")
		case *format != "text":
			return f.usageError(e, "--timeline: --format %s is not written for it; use --format text", *format)
		case f.given("samples") || f.given("seed"):
			return f.usageError(e, "--timeline: the timeline draws no worlds; leave out --samples and --seed")
		}
	}
	m, r, ok := sf.load(e, f, path)
	if !ok {
		return exitError
	}
	if *onTimeline {
		return recommendTimeline(e, f, path, m, r, *budget)
	}
	g, seeds, mode, name := r.graph, r.seeds, r.mode, r.name()
	rec, err := analyse(e, "recommending", func(o graph.Options) (*graph.Recommendations, error) {
		return g.Recommend(mode, graph.RecommendOptions{Options: o, Budget: *budget, Samples: *smp.samples, Seed: *smp.seed, Seeds: seeds})
	})
	if err != nil {
		return reachError(e, path, err)
	}
	return emitResult(e, f, *format, recommendJSON{name, rec}, func(w io.Writer) { writeRecommendText(w, name, rec, *budget) })
}

func writeRecommendText(w io.Writer, scenario string, rec *graph.Recommendations, budget int) {
	switch {
	case scenario != "":
		fmt.Fprintf(w, "Changes that cut the expected radius of scenario %q: compromise of %s (%s)\n", scenario, strings.Join(rec.Seeds, ", "), rec.Mode)
	case len(rec.Seeds) > 0:
		fmt.Fprintf(w, "Changes that cut the expected radius of a compromise of %s (%s)\n", strings.Join(rec.Seeds, ", "), rec.Mode)
	default:
		fmt.Fprintf(w, "Changes that cut the expected organisations affected a year (%s)\n", rec.Mode)
	}
	if rec.Model != "" {
		fmt.Fprintf(w, "Model: %s\n", rec.Model)
	}
	exact := rec.BaselineCI[0] == rec.BaselineCI[1]
	if exact {
		fmt.Fprintln(w, "No dependency it rests on is uncertain: the figures are exact.")
	} else {
		fmt.Fprintf(w, "Measured on %s worlds (seed %d), each change paired with the model without it; intervals are 95%%.\n", english.Commas(int64(rec.Samples)), rec.Seed)
	}
	fmt.Fprintf(w, "As it is: %s %s.\n\n", expectText(rec.Baseline, rec.BaselineCI, exact, false), rec.Objective)
	if len(rec.Steps) == 0 {
		fmt.Fprintln(w, "No change among those tried cuts it.")
		return
	}
	for i, s := range rec.Steps {
		exact := s.ReductionCI[0] == s.ReductionCI[1]
		fmt.Fprintf(w, "%d. %s\n", i+1, s.Description)
		where := ""
		if s.Dependency != nil && s.Dependency.IsValid() {
			where = " (the dependency at " + s.Dependency.Pos.String() + ")"
		}
		fmt.Fprintf(w, "   cuts it by %s, from %s to %s%s\n", expectText(s.Reduction, s.ReductionCI, exact, false),
			strconv.FormatFloat(s.Before, 'f', 3, 64), strconv.FormatFloat(s.After, 'f', 3, 64), where)
	}
	if len(rec.Steps) < budget {
		fmt.Fprintln(w, "\nNo other change among those tried cuts it further.")
	}
}

// recommendTimeline ranks changes to capacity by what they save over the
// timeline of the compromise the flags name.
func recommendTimeline(e *env, f *flags, path string, m *model.Model, r resolved, budget int) int {
	name := r.name()
	opt := timeline.Options{Mode: r.mode, Scenario: name}
	if s := m.Scenario(name); name != "" && s != nil {
		opt.Start = s.Start
	}
	adv, err := timeline.Advise(r.graph, r.seeds, opt, func(c model.Change) string { return explore.WhatIf{Changes: []model.Change{c}}.String() })
	if err != nil {
		return reachError(e, path, err)
	}
	return emitResult(e, f, "text", adv, func(w io.Writer) { writeAdviceText(w, adv, budget) })
}

func writeAdviceText(w io.Writer, a *timeline.Advised, budget int) {
	if a.Scenario != "" {
		fmt.Fprintf(w, "Changes to capacity that save the most over the timeline of scenario %q: compromise of %s (%s)\n", a.Scenario, strings.Join(a.Seeds, ", "), a.Mode)
	} else {
		fmt.Fprintf(w, "Changes to capacity that save the most over the timeline of a compromise of %s (%s)\n", strings.Join(a.Seeds, ", "), a.Mode)
	}
	if a.Model != "" {
		fmt.Fprintf(w, "Model: %s\n", a.Model)
	}
	fmt.Fprintf(w, "As it is: activity lost %s; %s strained.\n", savedText(a.ActivityLost), english.Plural(a.StrainedDays, "organisation-day"))
	fmt.Fprintf(w, "Tried %s alone: each helper as an aid link to each organisation short of its kind, each stock with twice its days.\n\n", english.Plural(a.Tried, "change"))
	if len(a.Advice) == 0 {
		fmt.Fprintln(w, "No change among those tried saves anything.")
		return
	}
	for i, x := range a.Advice {
		if i == budget {
			fmt.Fprintf(w, "\n%s more save something; --budget %d shows them.\n", english.Plural(len(a.Advice)-budget, "change"), len(a.Advice))
			break
		}
		fmt.Fprintf(w, "%d. %s\n", i+1, x.Words)
		fmt.Fprintf(w, "   saves %s of activity (%s), %s service-days and %s strained\n", amount(x.ActivitySavedTotal),
			savedText(x.ActivitySaved), amount(x.ServiceDaysSaved), english.Plural(x.StrainedDaysSaved, "organisation-day"))
		fmt.Fprintf(w, "   what-if: %s\n", x.Text)
	}
}

// savedText writes activity by unit: "1,200.0 tests, -30.0 appointments".
func savedText(by map[string]float64) string {
	if len(by) == 0 {
		return "none"
	}
	var parts []string
	for _, u := range slices.Sorted(maps.Keys(by)) {
		parts = append(parts, amount(by[u])+" "+u)
	}
	return strings.Join(parts, ", ")
}
