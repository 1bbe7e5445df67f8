package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
	"github.com/blastradius/blastradius/render"
)

// TestMain builds the drawing engine once, so that render can make SVG
// and PNG in the tests as it does for users.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "blastradius-draw")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	bin := filepath.Join(dir, "blastradius-draw")
	build := exec.Command("go", "build", "-o", bin, "../blastradius-draw")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building blastradius-draw:", err)
		os.Exit(2)
	}
	os.Setenv("BLASTRADIUS_DRAW", bin)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func renderTo(t *testing.T, out string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(append([]string{"render"}, append(args, "-o", out)...), nil, &stdout, &stderr); code != 0 {
		t.Fatalf("render %v: exit %d: %s", args, code, stderr.String())
	}
	return stderr.String()
}

// svgDoc is the part of Graphviz's SVG the tests read.
type svgDoc struct {
	Groups []svgGroup `xml:"g>g"`
}

type svgGroup struct {
	ID       string     `xml:"id,attr"`
	Class    string     `xml:"class,attr"`
	Title    string     `xml:"title"`
	Polygons []svgShape `xml:"polygon"`
	Paths    []svgShape `xml:"path"`
	Ellipses []svgShape `xml:"ellipse"`
	Nested   []svgGroup `xml:"g"`
	Texts    []string   `xml:"text"`
}

type svgShape struct {
	Fill string `xml:"fill,attr"`
}

func (g svgGroup) fills() []string {
	var out []string
	for _, s := range append(append(g.Polygons, g.Paths...), g.Ellipses...) {
		out = append(out, strings.ToLower(s.Fill))
	}
	return out
}

// TestRenderSVG checks that every node drawn is in the SVG with its id and
// the colour of its effect (the legend: TestDrawingsTellTheTruth).
func TestRenderSVG(t *testing.T) {
	chdirRoot(t)
	out := filepath.Join(t.TempDir(), "synnovis.svg")
	renderTo(t, out, "examples/synnovis-2024.yaml", "--scenario", "Qilin ransomware, June 2024")
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	groups := svgGroups(t, data)
	m, _ := model.Load("examples/synnovis-2024.yaml")
	g, _ := graph.Build(m)
	im, _ := g.Reach([]string{"synnovis-access"}, model.Ransomware)
	for _, n := range g.Nodes() {
		eff := graph.Unaffected
		if a := im.Of(n.ID); a != nil {
			eff = a.Impact
		}
		grp, ok := groups[n.ID]
		if !ok {
			t.Errorf("node %s is not in the SVG", n.ID)
			continue
		}
		if want := strings.ToLower(render.FillColour(eff)); !contains(grp.fills(), want) {
			t.Errorf("node %s (%s): fills %v, want %s", n.ID, eff, grp.fills(), want)
		}
	}
}

// svgGroups reads every group of an SVG, nested ones too, by id (unescaped).
func svgGroups(t *testing.T, data []byte) map[string]svgGroup {
	t.Helper()
	var doc svgDoc
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("SVG does not parse: %v", err)
	}
	groups := map[string]svgGroup{}
	var walk func([]svgGroup)
	walk = func(gs []svgGroup) {
		for _, g := range gs {
			groups[g.ID] = g
			walk(g.Nested)
		}
	}
	walk(doc.Groups)
	return groups
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// TestRenderPNG decodes the PNG, bounds its size, and finds the colours of
// the effects in it.
func TestRenderPNG(t *testing.T) {
	chdirRoot(t)
	out := filepath.Join(t.TempDir(), "gateway.png")
	renderTo(t, out, "examples/alder-hey-gateway-2024.yaml", "--compromise", "digital-gateway", "--mode", "exfiltration")
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	b := img.Bounds()
	if b.Dx() < 200 || b.Dy() < 200 || b.Dx() > 6000 || b.Dy() > 6000 {
		t.Errorf("size %v", b.Size())
	}
	for _, e := range []graph.Effect{graph.Compromised, graph.Exposed} {
		if !hasColour(img, render.FillColour(e)) {
			t.Errorf("no pixel of %s's colour %s", e, render.FillColour(e))
		}
	}
}

func hasColour(img image.Image, hex string) bool {
	var r, g, b uint8
	fmt.Sscanf(hex, "#%02x%02x%02x", &r, &g, &b)
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y += 2 {
		for x := bd.Min.X; x < bd.Max.X; x += 2 {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if uint8(pr>>8) == r && uint8(pg>>8) == g && uint8(pb>>8) == b {
				return true
			}
		}
	}
	return false
}

// TestRenderPNGCapsItsSize: a large drawing still fits the cap.
func TestRenderPNGCapsItsSize(t *testing.T) {
	var b strings.Builder
	b.WriteString("digraph { rankdir=LR; ")
	for i := range 400 {
		fmt.Fprintf(&b, "n%d -> n%d; ", i, i+1)
	}
	b.WriteString("}")
	cmd := exec.Command(os.Getenv("BLASTRADIUS_DRAW"), "-format", "xdot")
	cmd.Stdin = strings.NewReader(b.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	data, err := render.PNG(out, render.PNGOptions{MaxSide: 1500})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width > 1500 || cfg.Height > 1500 {
		t.Errorf("%dx%d is over the cap", cfg.Width, cfg.Height)
	}
}

func TestRenderFormats(t *testing.T) {
	chdirRoot(t)
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"render", "examples/wirral-2024.yaml", "-o", filepath.Join(dir, "x.jpg")}, nil, &stdout, &stderr); code != exitError || !strings.Contains(stderr.String(), ".svg, .png, .dot") {
		t.Errorf("jpg: exit %d, %s", code, stderr.String())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
	// Without the drawing engine, SVG says how to get it, and DOT still works.
	t.Setenv("BLASTRADIUS_DRAW", filepath.Join(dir, "missing"))
	t.Setenv("PATH", dir)
	stderr.Reset()
	if code := run([]string{"render", "examples/wirral-2024.yaml", "-o", filepath.Join(dir, "x.svg")}, nil, &stdout, &stderr); code != exitError {
		t.Errorf("missing engine: exit %d", code)
	}
	if code := run([]string{"render", "examples/wirral-2024.yaml", "-o", filepath.Join(dir, "x.dot")}, nil, &stdout, &stderr); code != 0 {
		t.Errorf("dot: exit %d: %s", code, stderr.String())
	}
	// GraphML needs no engine either, and holds the nodes DOT draws.
	if code := run([]string{"render", "examples/wirral-2024.yaml", "--compromise", "oracle-health", "-o", filepath.Join(dir, "x.graphml")}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("graphml: exit %d: %s", code, stderr.String())
	}
	data, err := os.ReadFile(filepath.Join(dir, "x.graphml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Nodes []struct {
			ID string `xml:"id,attr"`
		} `xml:"graph>node"`
		Edges []struct{} `xml:"graph>edge"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("graphml does not parse: %v", err)
	}
	dot, _ := os.ReadFile(filepath.Join(dir, "x.dot"))
	if len(doc.Nodes) == 0 || len(doc.Edges) == 0 || !bytes.Contains(dot, []byte(`[id="`+doc.Nodes[0].ID+`"`)) {
		t.Errorf("graphml: %d nodes, %d edges, first %+v not in the DOT", len(doc.Nodes), len(doc.Edges), doc.Nodes)
	}
}

// TestReadmeImage fails when docs/synnovis-blast-radius.svg drifts from
// what the command in docs/README-image.txt produces: the DOT it was drawn
// from must match, and the SVG must hold every node with its colour.
func TestReadmeImage(t *testing.T) {
	chdirRoot(t)
	cmds, err := os.ReadFile("docs/README-image.txt")
	if err != nil {
		t.Fatal(err)
	}
	var cmdLine string
	for _, l := range strings.Split(string(cmds), "\n") {
		if strings.HasPrefix(l, "blastradius render") && strings.HasSuffix(l, ".dot") {
			cmdLine = l
		}
	}
	args := splitArgs(strings.TrimPrefix(cmdLine, "blastradius "))
	dir := t.TempDir()
	for i, a := range args {
		if a == "-o" {
			args[i+1] = filepath.Join(dir, "now.dot")
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run(args, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
	}
	now, _ := os.ReadFile(filepath.Join(dir, "now.dot"))
	committed, err := os.ReadFile("docs/synnovis-blast-radius.dot")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(now, committed) {
		t.Errorf("docs/synnovis-blast-radius.dot is out of date: regenerate the image with the commands in docs/README-image.txt")
	}
	svg, err := os.ReadFile("docs/synnovis-blast-radius.svg")
	if err != nil {
		t.Fatal(err)
	}
	groups := svgGroups(t, svg)
	drawn := 0
	for _, line := range strings.Split(string(now), "\n") {
		line = strings.TrimSpace(line)
		if i := strings.Index(line, " [id=\""); i > 0 {
			id := line[i+6 : strings.Index(line[i+6:], "\"")+i+6]
			drawn++
			if _, ok := groups[id]; !ok {
				t.Errorf("node %s is missing from the committed SVG", id)
			}
		}
	}
	if drawn < 20 {
		t.Errorf("only %d nodes in the drawing", drawn)
	}
}
