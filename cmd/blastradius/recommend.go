package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/english"
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

Flags:
  --budget K           how many changes to choose (default 3)
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
	_, r, ok := sf.load(e, f, path)
	if !ok {
		return exitError
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
