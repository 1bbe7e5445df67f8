package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/blastradius/blastradius/render"
)

func renderCmd() *command {
	return &command{
		name:    "render",
		summary: "draw the network or a blast radius to SVG, PNG, DOT or GraphML, or its timeline",
		usage: `Usage: blastradius render MODEL [--compromise ID,... | --scenario NAME] [flags] -o FILE
       blastradius render MODEL (--compromise ID,... | --scenario NAME) --timeline [--horizon D] [--start DATE] -o FILE.svg|.png

Draws the model, or with a compromise its blast radius: nodes coloured by
effect (a dark-to-light ramp that reads in greyscale), edges styled by
relation, the steps along each explaining path highlighted, organisations
clustered by ICB, shared services drawn as ellipses, and a legend. The
format comes from the extension of FILE: .svg, .png, .dot or .graphml.

Arrows point the way an effect spreads: from provider to consumer, from an
operator to its service; a network link has no arrowheads. A scenario's
name is the title, its what-if is said under it and marked on the nodes it
changes, and a legend in the top-left corner shows every mark used.

Large drawings stay readable: --focus keeps the blast radius and, as
context, the unaffected neighbours that best explain where it stops (30
unless --context says otherwise); above --max-nodes similar nodes fold into
one, counted by effect ("30 GP practices: 1 compromised, 5 disrupted, 17
degraded, 7 exposed") and drawn in an ICB's box only if all of them belong
to it. What was left out or folded is said on standard error.

SVG and PNG are laid out by Graphviz in the blastradius-draw program, which
"go install ./cmd/..." installs beside blastradius. DOT needs nothing more.
GraphML holds the same nodes and lines, with their effects, relations and
paths as attributes, for tools that lay out a graph themselves (yEd, Gephi).

With --timeline it draws instead who goes down and for how long, as the
timeline command computes it (SVG or PNG, in Go, without Graphviz): one
strip for each organisation short or strained, its capacity day by day and
a band under it on the days it is strained (helping others at a cost, or
short of a shared stock); under them each shared stock's level against
its alert, and what is lost each week, in the model's units of activity or
in service-days. It needs time data in the model (recovery or restore on the
compromised nodes; see docs/model.md): without it the compromised nodes
stay at 0 to the horizon, and the drawing says so.

Flags:
  --compromise ID,...  the seeds of a scenario to draw
  --scenario NAME      draw a scenario of the file: its seeds and mode, with
                       its assumptions made
` + modeHelp + `
  --focus              draw only the blast radius and its neighbours
  --context N          with --focus, how many unaffected neighbours to draw
                       (default 30; 0 for none), or "all"
  --max-nodes N        fold similar nodes above N (default 120; in focus 40,
                       so that the picture fits a page)
  --layout L           auto (default: dot up to 150 nodes and 400 edges,
                       sfdp above),
                       dot, sfdp, neato, fdp, circo, twopi or osage
  --timeout D          stop a layout that takes longer (default 60s)
  --title T            the title of the drawing
  --timeline           draw who goes down and for how long instead: a row for
                       each organisation short, grouped by ICB and ordered by
                       onset, its capacity each day a cell from dark (none) to
                       white (full), and under it what is lost each week; the
                       scenario's name is the title, and a start date (the
                       scenario's, or --start) puts dates on the axis. Needs
                       a compromise; writes .svg or .png, and needs no
                       Graphviz. Above 60 organisations the ones that lose
                       least fold into one row for each ICB
  --horizon D          with --timeline, the days drawn (default until every
                       node is back, at most 365)
  --start DATE         with --timeline, the date of day 0, YYYY-MM-DD
  -o FILE              where to write; required

Exit codes: 0 done; 2 the model is invalid, a flag is wrong, the format is
not supported, or the layout failed.

Examples:
  blastradius render examples/synnovis-2024.yaml --scenario "Qilin ransomware, June 2024" -o synnovis.svg
  blastradius render examples/alder-hey-gateway-2024.yaml --compromise digital-gateway --mode exfiltration -o gateway.png
  blastradius render national.yaml --compromise sup-00000 --focus -o national.svg
  blastradius render examples/wirral-2024.yaml -o wirral.dot
  blastradius render examples/synnovis-2024.yaml --scenario "Qilin ransomware, June 2024" --timeline -o timeline.png
  blastradius render examples/synnovis-2024.yaml --compromise synnovis-access --timeline --horizon 120 --start 2024-06-03 -o timeline.svg
`,
		run: runRender,
	}
}

// drawFormats maps extensions to what the drawing engine makes.
var drawFormats = map[string]string{".svg": "svg", ".png": "png", ".dot": "dot", ".graphml": "graphml"}

func runRender(e *env, args []string) int {
	f := newFlags(renderCmd(), true, true)
	sf := newScenarioFlags(f, true)
	focus := f.Bool("focus", false, "")
	contextFlag := f.String("context", "30", "")
	maxNodes := f.Int("max-nodes", 0, "")
	layout := f.word("layout", "auto", "auto", "dot", "sfdp", "neato", "fdp", "circo", "twopi", "osage")
	timeout := f.Duration("timeout", 60*time.Second, "")
	title := f.String("title", "", "")
	tlf := timelineFlags{on: f.Bool("timeline", false, ""), horizon: f.Int("horizon", 0, ""), start: f.String("start", "", "")}
	path, code, ok := f.parseModel(e, args)
	if !ok {
		return code
	}
	if code, ok := sf.check(e, f, false); !ok {
		return code
	}
	switch {
	case f.out == "" || f.out == "-":
		return f.usageError(e, "name the file to write with -o FILE (.svg, .png, .dot or .graphml)")
	case *maxNodes != 0 && *maxNodes < 10:
		return f.usageError(e, "--max-nodes %d: use 10 or more", *maxNodes)
	case *focus && !sf.given():
		return f.usageError(e, "--focus needs a compromise: add --compromise ID or --scenario NAME")
	}
	if code, ok := tlf.check(e, f, sf); !ok {
		return code
	}
	contextN, err := contextCount(*contextFlag)
	if err != nil {
		return f.usageError(e, "%v", err)
	}
	ext := strings.ToLower(filepath.Ext(f.out))
	format, supported := drawFormats[ext]
	if !supported {
		return f.usageError(e, "cannot write %q: the format comes from the extension, one of .svg, .png, .dot, .graphml", f.out)
	}
	m, g, ok := build(e, path, f.limits)
	if !ok {
		return exitError
	}
	if *maxNodes == 0 {
		*maxNodes = render.DefaultMaxNodes
		if *focus {
			*maxNodes = render.DefaultFocusMaxNodes
		}
	}
	opt := render.Options{Focus: *focus, Context: contextN, MaxNodes: *maxNodes, Title: *title}
	r, ok := sf.resolve(e, f, path, m, g)
	if !ok {
		return exitError
	}
	if *tlf.on {
		return renderTimeline(e, f, path, r, tlf, *title, format)
	}
	g, seeds, md := r.graph, r.seeds, r.mode
	if s := r.scenario; s != nil {
		opt.Scenario, opt.Assume = s.Name, s.Assume
	}
	if len(seeds) > 0 {
		im, err := g.Reach(seeds, md)
		if err != nil {
			return reachError(e, path, err)
		}
		opt.Impact = im
		opt.Subtitle = im.Headline()
	}
	if opt.Title == "" && opt.Impact == nil {
		opt.Title = m.Name
	}
	if format == "svg" || format == "png" {
		opt.Layout = *layout
	}
	d := render.DOT(g, opt)
	if d.Omitted > 0 {
		fmt.Fprintf(e.stderr, "blastradius: drew %d of the %d unaffected neighbours of the radius, those that explain it best; --context all draws every one\n", d.Context, d.Context+d.Omitted)
	}
	if len(d.Folded) > 0 {
		fmt.Fprintf(e.stderr, "blastradius: drew %d nodes for the %d chosen; folded:\n", d.Nodes, d.Selected)
		for _, fo := range d.Folded {
			fmt.Fprintf(e.stderr, "  %s\n", fo.Summary())
		}
	}
	out := d.DOT
	switch format {
	case "graphml":
		var b bytes.Buffer
		render.WriteGraphML(&b, d.Scene) // a buffer takes every byte
		out = b.Bytes()
	case "svg", "png":
		var err error
		if out, err = draw(d.DOT, format, d.Layout, *timeout); err != nil {
			fmt.Fprintf(e.stderr, "blastradius: %s: %v\n", f.out, err)
			return exitError
		}
	}
	if format == "png" {
		return emitPicture(e, f.out, out, exitOK)
	}
	return emit(e, f.out, out, exitOK)
}

// contextCount reads --context: a count, or "all".
func contextCount(s string) (int, error) {
	if s == "all" {
		return render.AllContext, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("--context %q: give a number of nodes, 0 or more, or \"all\"", s)
	}
	if n == 0 {
		return render.NoContext, nil
	}
	return n, nil
}

// drawProgram finds blastradius-draw: named by BLASTRADIUS_DRAW, beside this
// executable, or on the PATH.
func drawProgram() (string, error) {
	if p := os.Getenv("BLASTRADIUS_DRAW"); p != "" {
		return p, nil
	}
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), "blastradius-draw")
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	if p, err := exec.LookPath("blastradius-draw"); err == nil {
		return p, nil
	}
	return "", errors.New(`drawing SVG or PNG needs the blastradius-draw program: install it with "go install ./cmd/blastradius-draw" (or write .dot)`)
}

// draw lays DOT out with Graphviz in the drawing program, stopping it after
// the timeout.
func draw(dot []byte, format, layout string, timeout time.Duration) ([]byte, error) {
	prog, err := drawProgram()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	engineFormat := format
	if format == "png" {
		engineFormat = "xdot"
	}
	cmd := exec.CommandContext(ctx, prog, "-format", engineFormat, "-layout", layout)
	cmd.Stdin = bytes.NewReader(dot)
	cmd.WaitDelay = time.Second // a child the program left holding its output cannot keep the run waiting
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("the %s layout took longer than %s; draw fewer nodes with --focus or a lower --max-nodes, or raise --timeout", layout, timeout)
	}
	if err != nil {
		return nil, fmt.Errorf("drawing failed: %s", strings.TrimSpace(stderr.String()))
	}
	if format == "png" {
		return render.PNG(stdout.Bytes(), render.PNGOptions{})
	}
	return stdout.Bytes(), nil
}
