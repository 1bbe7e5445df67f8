package main

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/blastradius/blastradius/render"
	"github.com/blastradius/blastradius/timeline"
)

// timelineFlags are render's --timeline and the flags that go with it.
type timelineFlags struct {
	on      *bool
	horizon *int
	start   *string
}

// check reports a usage error in the timeline flags, if any.
func (t timelineFlags) check(e *env, f *flags, sf *scenarioFlags) (int, bool) {
	if !*t.on {
		for _, name := range []string{"horizon", "start"} {
			if f.given(name) {
				return f.usageError(e, "--%s sets the days of --timeline: add --timeline", name), false
			}
		}
		return 0, true
	}
	for _, name := range []string{"focus", "context", "max-nodes", "layout", "timeout"} {
		if f.given(name) {
			return f.usageError(e, "--%s is for drawings of the graph, not --timeline", name), false
		}
	}
	switch {
	case !sf.given():
		return f.usageError(e, "--timeline needs a compromise: add --compromise ID or --scenario NAME"), false
	case *t.horizon < 0:
		return f.usageError(e, "--horizon %d: use a number of days from 1 up (0: until every node is back)", *t.horizon), false
	}
	if *t.start != "" {
		if _, err := time.Parse(time.DateOnly, *t.start); err != nil {
			return f.usageError(e, "--start %q: use a date such as 2024-06-03", *t.start), false
		}
	}
	return 0, true
}

// renderTimeline draws the strip chart of the timeline of what the flags
// name, as SVG or PNG.
func renderTimeline(e *env, f *flags, path string, r resolved, tlf timelineFlags, title, format string) int {
	if format != "svg" && format != "png" {
		return f.usageError(e, "cannot write %q with --timeline: the timeline is drawn as .svg or .png", f.out)
	}
	day0 := *tlf.start
	if day0 == "" && r.scenario != nil {
		day0 = r.scenario.Start
	}
	tl, err := timeline.Compute(r.graph, r.seeds, timeline.Options{Mode: r.mode, Horizon: *tlf.horizon, Start: day0, Scenario: r.name()})
	if err != nil {
		return reachError(e, path, err)
	}
	t := render.TimelineOf(tl, r.graph)
	if title != "" {
		t.Title = title
	}
	if n := len(tl.NoRecovery); n > 0 {
		fmt.Fprintf(e.stderr, "blastradius: the model gives no recovery or restore for %s: drawn at 0 to the horizon\n", strings.Join(tl.NoRecovery, ", "))
	}
	if format == "png" {
		out, err := render.TimelinePNG(t, render.PNGOptions{Scale: 2})
		if err != nil {
			fmt.Fprintf(e.stderr, "blastradius: %s: %v\n", f.out, err)
			return exitError
		}
		return emitPicture(e, f.out, out, exitOK)
	}
	var b bytes.Buffer
	if err := render.WriteTimelineSVG(&b, t); err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %s: %v\n", f.out, err)
		return exitError
	}
	return emit(e, f.out, b.Bytes(), exitOK)
}
