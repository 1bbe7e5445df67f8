package main

import (
	"fmt"
	"slices"

	"github.com/blastradius/blastradius/explore"
)

func reportCmd() *command {
	return &command{
		name:    "report",
		summary: "write one self-contained HTML report of every scenario, for a board",
		usage: `Usage: blastradius report MODEL -o report.html [flags]

Writes one HTML file that opens from disk with no network: the overview of
every ICB, each scenario of the file with who is affected and how many
people, the path that explains each affected node, what would contain it
(chokepoints) and a drawing, and the rank of single compromises. A model
without scenarios gets its largest single compromise instead. Printed (or
saved as PDF from the browser) on A4, each scenario is a one-page brief
that names every organisation (the one affected first, those spared, those
next to the radius that stay unaffected), each list headed by its count
("3 of 24 dependencies"), followed by a page with its drawing.

Drawings need the blastradius-draw program (see "render --help"); without
it the report says so in place of each drawing.

Flags:
  --depth N          draw nodes at most N steps from the seeds (default 0: all)
  --paper P          the printed page: a4 (default) or letter
  --scenario NAME    brief this scenario only, without the overview and the rank
  -o FILE            where to write; required

Exit codes: 0 done; 2 the model is invalid, a flag is wrong or the
scenario is not in the file.

Examples:
  blastradius report examples/synnovis-2024.yaml -o report.html
  blastradius report examples/synnovis-2024.yaml --scenario "Qilin ransomware, June 2024" -o brief.html
  blastradius report examples/synnovis-2024.yaml --paper letter -o report.html
  blastradius report national.yaml --depth 3 -o national.html
`,
		run: runReport,
	}
}

func runReport(e *env, args []string) int {
	f := newFlags(reportCmd(), true, true)
	depth := f.Int("depth", 0, "")
	paper := f.String("paper", string(explore.A4), "")
	scenario := f.String("scenario", "", "")
	path, code, ok := f.parseModel(e, args)
	if !ok {
		return code
	}
	if f.out == "" || f.out == "-" {
		return f.usageError(e, "name the file to write with -o FILE")
	}
	if *depth < 0 {
		return f.usageError(e, "--depth %d: use 0 or more", *depth)
	}
	if !slices.Contains(explore.Papers, explore.Paper(*paper)) {
		return f.usageError(e, "--paper %q: use a4 or letter", *paper)
	}
	m, ok := load(e, path, f.limits)
	if !ok {
		return exitError
	}
	if *scenario != "" {
		if _, ok := findScenario(e, path, m, *scenario); !ok {
			return exitError
		}
	}
	sess, err := explore.NewSession(path, m)
	if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %s: %v\n", path, err)
		return exitError
	}
	opt := explore.ReportOptions{Version: version, Draw: drawer(), Depth: *depth, Scenario: *scenario, Paper: explore.Paper(*paper)}
	if opt.Draw == nil {
		_, err := drawProgram()
		opt.NoDraw = err.Error()
	}
	page, err := sess.Report(opt)
	if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %s: %v\n", path, err)
		return exitError
	}
	return emit(e, f.out, page, exitOK)
}
