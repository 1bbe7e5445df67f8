// Command blastradius-draw lays out a DOT graph with Graphviz and writes it
// as SVG or PNG. It is the drawing engine behind "blastradius render", kept
// in its own program because go-graphviz compiles its WebAssembly Graphviz
// when a process starts: commands that do not draw should not pay for that,
// and a separate process can be stopped when a layout runs too long.
//
// Usage:
//
//	blastradius-draw -format svg|png|xdot [-layout dot|sfdp|neato|fdp|circo|twopi|osage] < graph.dot > out
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/goccy/go-graphviz"
)

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

const maxInput = 64 << 20

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("blastradius-draw", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "svg", "svg, png or xdot")
	layout := fs.String("layout", "dot", "Graphviz layout engine")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	switch *format {
	case "svg", "png", "xdot":
	default:
		fmt.Fprintf(stderr, "blastradius-draw: unknown format %q: use svg, png or xdot\n", *format)
		return 2
	}
	switch graphviz.Layout(*layout) {
	case graphviz.DOT, graphviz.SFDP, graphviz.NEATO, graphviz.FDP, graphviz.CIRCO, graphviz.TWOPI, graphviz.OSAGE:
	default:
		fmt.Fprintf(stderr, "blastradius-draw: unknown layout %q\n", *layout)
		return 2
	}
	src, err := io.ReadAll(io.LimitReader(stdin, maxInput+1))
	if err != nil || len(src) > maxInput {
		fmt.Fprintf(stderr, "blastradius-draw: cannot read the graph (%v, %d bytes)\n", err, len(src))
		return 2
	}
	out, err := draw(src, *format, graphviz.Layout(*layout))
	if err != nil {
		fmt.Fprintf(stderr, "blastradius-draw: %v\n", err)
		return 2
	}
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(stderr, "blastradius-draw: %v\n", err)
		return 2
	}
	return 0
}

func draw(src []byte, format string, layout graphviz.Layout) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("graphviz failed: %v", r)
		}
	}()
	ctx := context.Background()
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, err
	}
	defer gv.Close()
	g, err := graphviz.ParseBytes(src)
	if err != nil {
		return nil, fmt.Errorf("parsing DOT: %w", err)
	}
	defer g.Close()
	gv.SetLayout(layout)
	var buf bytes.Buffer
	if err := gv.Render(ctx, g, graphviz.Format(format), &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
