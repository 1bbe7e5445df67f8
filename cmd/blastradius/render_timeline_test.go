package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/render"
)

// timelineOutline is what a reader sees in a timeline SVG, one line each:
// the document's title, every text by class in order, and each row's id,
// whole name, number of days and the day it is back to white.
func timelineOutline(t *testing.T, svg []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	var b strings.Builder
	var stack []xml.StartElement
	attr := func(e xml.StartElement, name string) string {
		for _, a := range e.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	type row struct {
		id, title string
		cells     []string
	}
	var cur *row
	flush := func() {
		if cur == nil {
			return
		}
		back := len(cur.cells)
		for back > 0 && cur.cells[back-1] == "#ffffff" {
			back--
		}
		fmt.Fprintf(&b, "row %s %q: %d days, first %s, back to full from day %d\n", cur.id, cur.title, len(cur.cells), cur.cells[0], back)
		cur = nil
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			stack = append(stack, e)
			switch {
			case e.Name.Local == "script" || e.Name.Local == "foreignObject":
				t.Errorf("the SVG holds a %s element", e.Name.Local)
			case e.Name.Local == "g" && strings.HasPrefix(attr(e, "class"), "row"):
				cur = &row{id: attr(e, "data-id")}
			case e.Name.Local == "rect" && cur != nil && len(stack) >= 2 && attr(stack[len(stack)-2], "class") == "cells":
				cur.cells = append(cur.cells, attr(e, "fill"))
			}
			for _, a := range e.Attr {
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") || strings.Contains(strings.ToLower(a.Value), "javascript:") {
					t.Errorf("<%s> has %s=%q", e.Name.Local, a.Name.Local, a.Value)
				}
			}
		case xml.EndElement:
			if e.Name.Local == "g" && strings.HasPrefix(attr(stack[len(stack)-1], "class"), "row") {
				flush()
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) < 2 {
				continue
			}
			top, parent := stack[len(stack)-1], stack[len(stack)-2]
			switch {
			case top.Name.Local == "title" && parent.Name.Local == "svg":
				fmt.Fprintf(&b, "title %q\n", string(e))
			case top.Name.Local == "desc":
				fmt.Fprintf(&b, "desc %q\n", string(e))
			case top.Name.Local == "title" && cur != nil:
				cur.title = string(e)
			case top.Name.Local == "text" && cur == nil:
				fmt.Fprintf(&b, "%s %q\n", attr(top, "class"), string(e))
			}
		}
	}
	return b.String()
}

func checkOutline(t *testing.T, wd, name, got string) {
	t.Helper()
	golden := filepath.Join(wd, "testdata", name)
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/blastradius -run TestRenderTimeline -update)", err)
	}
	if got != string(want) {
		t.Errorf("the timeline SVG reads differently from %s:\n%s", golden, diff(string(want), got))
	}
}

// TestRenderTimelineSVG: the Qilin scenario's strip chart, with its name as
// the title, dates on the axis, a row for each of the twelve organisations
// short and the activity lost each week; and a compromise with no
// scenario, numbered by days, to the horizon asked for.
func TestRenderTimelineSVG(t *testing.T) {
	wd := chdirRoot(t)
	for _, c := range []struct {
		golden string
		args   []string
	}{
		{"render-timeline-qilin.golden", []string{"--scenario", "Qilin ransomware, June 2024"}},
		{"render-timeline-days.golden", []string{"--compromise", "synnovis-access", "--horizon", "60"}},
	} {
		out := filepath.Join(t.TempDir(), "timeline.svg")
		renderTo(t, out, append([]string{"examples/synnovis-2024.yaml", "--timeline"}, c.args...)...)
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		got := timelineOutline(t, data)
		if !strings.Contains(got, "row ") {
			t.Fatalf("%v: no rows in the timeline:\n%s", c.args, got)
		}
		checkOutline(t, wd, c.golden, got)
	}
}

// TestRenderTimelineStart: --start puts dates on the axis of a compromise
// that has none, and overrides a scenario's.
func TestRenderTimelineStart(t *testing.T) {
	chdirRoot(t)
	out := filepath.Join(t.TempDir(), "timeline.svg")
	renderTo(t, out, "examples/synnovis-2024.yaml", "--timeline", "--scenario", "Qilin ransomware, June 2024", "--start", "2025-01-06", "--title", "Drill")
	data, _ := os.ReadFile(out)
	got := timelineOutline(t, data)
	for _, want := range []string{`title "Drill"`, `6 Jan 2025`} {
		if !strings.Contains(got, want) {
			t.Errorf("the timeline lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Jun 2024") {
		t.Errorf("the scenario's start is still drawn:\n%s", got)
	}
}

// TestRenderTimelinePNG: the PNG decodes, and holds the darkest colour of
// the ramp (an organisation at 0) and the blue of the weekly bars.
func TestRenderTimelinePNG(t *testing.T) {
	chdirRoot(t)
	out := filepath.Join(t.TempDir(), "timeline.png")
	renderTo(t, out, "examples/synnovis-2024.yaml", "--timeline", "--scenario", "Qilin ransomware, June 2024")
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the PNG does not decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 1000 || b.Dy() < 400 || b.Dx() > 6000 || b.Dy() > 6000 {
		t.Errorf("the PNG is %v", b)
	}
	seen := map[string]bool{}
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y += 2 {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x += 2 {
			r, g, b, _ := img.At(x, y).RGBA()
			seen[fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)] = true
		}
	}
	for _, c := range []string{render.CapacityColour(0), "#2171b5"} {
		if !seen[c] {
			t.Errorf("the PNG has no %s", c)
		}
	}
}

// TestRenderTimelineUsage: what --timeline cannot do is a usage error that
// says what works.
func TestRenderTimelineUsage(t *testing.T) {
	chdirRoot(t)
	model := "examples/synnovis-2024.yaml"
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{model, "--timeline", "--scenario", "Qilin ransomware, June 2024", "-o", filepath.Join(dir, "t.dot")}, "the timeline is drawn as .svg or .png"},
		{[]string{model, "--timeline", "--scenario", "Qilin ransomware, June 2024", "-o", filepath.Join(dir, "t.graphml")}, "the timeline is drawn as .svg or .png"},
		{[]string{model, "--timeline", "-o", filepath.Join(dir, "t.svg")}, "--timeline needs a compromise"},
		{[]string{model, "--compromise", "synnovis", "--horizon", "30", "-o", filepath.Join(dir, "t.svg")}, "add --timeline"},
		{[]string{model, "--compromise", "synnovis", "--start", "2024-06-03", "-o", filepath.Join(dir, "t.svg")}, "add --timeline"},
		{[]string{model, "--timeline", "--compromise", "synnovis", "--start", "3 June", "-o", filepath.Join(dir, "t.svg")}, "use a date such as 2024-06-03"},
		{[]string{model, "--timeline", "--compromise", "synnovis", "--horizon", "-1", "-o", filepath.Join(dir, "t.svg")}, "--horizon -1"},
		{[]string{model, "--timeline", "--compromise", "synnovis", "--focus", "-o", filepath.Join(dir, "t.svg")}, "--focus is for drawings of the graph"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"render"}, c.args...), nil, &stdout, &stderr)
		if code != exitError || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("render %v: exit %d, stderr %q; want exit %d and %q", c.args, code, stderr.String(), exitError, c.want)
		}
		if _, err := os.Stat(c.args[len(c.args)-1]); err == nil {
			t.Errorf("render %v wrote its file", c.args)
		}
	}
}

// TestReadmeTimelineImage fails when docs/timeline.png drifts from what the
// command in docs/README-image.txt draws: both must decode to the same size,
// and all but a sliver of their pixels (fonts may set a hair apart) match.
func TestReadmeTimelineImage(t *testing.T) {
	chdirRoot(t)
	cmds, err := os.ReadFile("docs/README-image.txt")
	if err != nil {
		t.Fatal(err)
	}
	var cmdLine string
	for _, l := range strings.Split(string(cmds), "\n") {
		if strings.HasPrefix(l, "blastradius render") && strings.Contains(l, "--timeline") && strings.HasSuffix(l, "docs/timeline.png") {
			cmdLine = l
		}
	}
	if cmdLine == "" {
		t.Fatal("docs/README-image.txt has no command that draws docs/timeline.png")
	}
	args := splitArgs(strings.TrimPrefix(cmdLine, "blastradius "))
	now := filepath.Join(t.TempDir(), "now.png")
	args[len(args)-1] = now
	var stdout, stderr bytes.Buffer
	if code := run(args, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
	}
	decode := func(path string) image.Image {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s does not decode: %v", path, err)
		}
		return img
	}
	a, b := decode(now), decode("docs/timeline.png")
	if a.Bounds() != b.Bounds() {
		t.Fatalf("docs/timeline.png is %v, the command draws %v: redraw it with the command in docs/README-image.txt", b.Bounds(), a.Bounds())
	}
	differ, all := 0, 0
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			all++
			if a.At(x, y) != b.At(x, y) {
				differ++
			}
		}
	}
	if differ*100 > all {
		t.Errorf("%d of %d pixels of docs/timeline.png differ from what the command draws: redraw it with the command in docs/README-image.txt", differ, all)
	}
}
