package main

import (
	"fmt"

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
saved as PDF from the browser), each scenario is a one-page brief.

Drawings need the blastradius-draw program (see "render --help"); without
it the report says so in place of each drawing.

Flags:
  --depth N   draw nodes at most N steps from the seeds (default 0: all)
  -o FILE     where to write; required

Exit codes: 0 done; 2 the model is invalid or a flag is wrong.

Examples:
  blastradius report examples/synnovis-2024.yaml -o report.html
  blastradius report national.yaml --depth 3 -o national.html
`,
		run: runReport,
	}
}

func runReport(e *env, args []string) int {
	f := newFlags(reportCmd(), true, true)
	depth := f.Int("depth", 0, "")
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
	m, ok := load(e, path, f.limits)
	if !ok {
		return exitError
	}
	sess, err := explore.NewSession(path, m)
	if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %s: %v\n", path, err)
		return exitError
	}
	opt := explore.ReportOptions{Version: version, Draw: drawer(), Depth: *depth}
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
