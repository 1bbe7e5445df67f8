package render

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/synth"
	"github.com/blastradius/blastradius/internal/testtool"
	"github.com/blastradius/blastradius/model"
)

// TestNativeGraphvizQuiet: native Graphviz lays out every drawing without
// a warning: no legend cell too small for its content, no attribute given
// twice. Drawn are every example's network and each scenario, and a
// focused radius of a generated model large enough to fold.
func TestNativeGraphvizQuiet(t *testing.T) {
	dot := testtool.Need(t, "DOT", "apt-get install graphviz", "dot")
	files, _ := filepath.Glob("../examples/*.yaml")
	type drawing struct {
		name string
		dot  []byte
	}
	var drawings []drawing
	for _, f := range files {
		m, err := model.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		g, err := graph.Build(m)
		if err != nil {
			t.Fatal(err)
		}
		drawings = append(drawings, drawing{f, DOT(g, Options{Title: m.Name}).DOT})
		for _, s := range m.Scenarios {
			sg := g
			if !s.Assume.Empty() {
				if sg, err = graph.Build(m.Apply(s.Assume.Changes())); err != nil {
					t.Fatal(err)
				}
			}
			im, err := sg.Reach(s.Seeds(), s.Mode)
			if err != nil {
				t.Fatal(err)
			}
			drawings = append(drawings, drawing{f + ": " + s.Name, DOT(sg, Options{Impact: im, Scenario: s.Name, Assume: s.Assume, Subtitle: im.Headline()}).DOT})
		}
	}
	var buf bytes.Buffer
	st, err := synth.Generate(&buf, synth.Options{Scale: 1, Seed: 3, ICBs: 4})
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Parse("synthetic.yaml", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	g, err := graph.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	im, err := g.Reach([]string{st.LargestSupplier}, model.Ransomware)
	if err != nil {
		t.Fatal(err)
	}
	drawings = append(drawings, drawing{"synthetic focus", DOT(g, Options{Impact: im, Focus: true, MaxNodes: 40}).DOT})
	for _, d := range drawings {
		for _, line := range strings.Split(string(d.dot), "\n") {
			if attrs, ok := attributes(line); ok {
				seen := map[string]bool{}
				for _, a := range attrs {
					if seen[a] {
						t.Errorf("%s: %s given twice: %s", d.name, a, line)
					}
					seen[a] = true
				}
			}
		}
		cmd := exec.Command(dot, "-Tsvg", "-o", "/dev/null")
		cmd.Stdin = bytes.NewReader(d.dot)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil || stderr.Len() > 0 {
			t.Errorf("%s: dot -Tsvg: %v\n%s", d.name, err, stderr.String())
		}
	}
}

// attributes is the names of the attributes of a node or edge statement.
func attributes(line string) ([]string, bool) {
	open := strings.LastIndex(line, " [")
	if open < 0 || !strings.HasSuffix(line, "];") || strings.Contains(line, "label=<") {
		return nil, false
	}
	var names []string
	for _, part := range strings.Split(line[open+2:len(line)-2], ", ") {
		if name, _, ok := strings.Cut(part, "="); ok && !strings.ContainsAny(name, `" `) {
			names = append(names, name)
		}
	}
	return names, true
}
