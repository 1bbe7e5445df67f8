package render

import (
	"regexp"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// drawnIDs lists the ids of the nodes a drawing holds.
func drawnIDs(dot []byte) map[string]bool {
	out := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s+"([^"]+)" \[id=`).FindAllSubmatch(dot, -1) {
		out[string(m[1])] = true
	}
	return out
}

// TestContextExplainsTheRadius: in focus, the unaffected nodes drawn are
// neighbours of the radius, no more than asked, those whose own control
// stopped the spread first; what is left out is counted.
func TestContextExplainsTheRadius(t *testing.T) {
	m, err := model.Load("../examples/synnovis-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var s *model.Scenario
	for _, x := range m.Scenarios {
		if x.Name == "MFA on the laboratory system" {
			s = x
		}
	}
	g, _ := graph.Build(m.Apply(s.Assume.Changes()))
	im, _ := g.Reach(s.Seeds(), s.Mode)
	all := DOT(g, Options{Impact: im, Focus: true, Context: AllContext, Assume: s.Assume})
	if all.Omitted != 0 || all.Context == 0 {
		t.Fatalf("all context: drew %d, left out %d", all.Context, all.Omitted)
	}
	one := DOT(g, Options{Impact: im, Focus: true, Context: 1, Assume: s.Assume})
	if one.Context != 1 || one.Omitted != all.Context-1 {
		t.Errorf("context 1: drew %d, left out %d, of %d", one.Context, one.Omitted, all.Context)
	}
	ids := drawnIDs(one.DOT)
	// The laboratory system's assumed MFA stopped the attackers: it is the
	// neighbour that explains the radius best.
	if !ids["synnovis-lims"] {
		t.Errorf("context 1 left out synnovis-lims, which stopped the spread: %v", ids)
	}
	if !strings.Contains(string(one.DOT), "context: 1 of the") {
		t.Error("the drawing does not say that context was left out")
	}
	none := DOT(g, Options{Impact: im, Focus: true, Context: NoContext})
	if none.Context != 0 || len(drawnIDs(none.DOT)) != len(im.Affected) {
		t.Errorf("no context: drew %d nodes for %d affected", len(drawnIDs(none.DOT)), len(im.Affected))
	}
	// Every node drawn as context touches the radius.
	near := map[string]bool{}
	for _, d := range m.Dependencies {
		if im.Of(d.From) != nil {
			near[d.To] = true
		}
		if im.Of(d.To) != nil {
			near[d.From] = true
		}
	}
	for _, n := range g.Nodes() {
		if n.Operator != "" && (im.Of(n.ID) != nil || im.Of(n.Operator) != nil) {
			near[n.ID], near[n.Operator] = true, true
		}
	}
	for id := range drawnIDs(all.DOT) {
		if im.Of(id) == nil && !near[id] {
			t.Errorf("%s is drawn but neither affected nor a neighbour", id)
		}
	}
}

// TestEveryKindIsDrawn: a node of each declared kind is drawn with its
// kind in its class and its class's shape, and folds under its plural.
func TestEveryKindIsDrawn(t *testing.T) {
	m := &model.Model{Name: "kinds", File: "kinds.yaml"}
	for i, k := range model.Kinds {
		for j := range 3 {
			n := &model.Node{ID: k.ID + "-" + string(k.Class) + "-" + string(rune('a'+j)), Name: k.Singular, Class: k.Class, Kind: k.ID, Pos: model.Pos{Line: i + 1}}
			if k.Class == model.ClassOrganisation {
				m.Organisations = append(m.Organisations, n)
			} else {
				m.Services = append(m.Services, n)
			}
		}
	}
	g, err := graph.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	dot := string(DOT(g, Options{Title: "kinds", MaxNodes: 1000}).DOT)
	for _, k := range model.Kinds {
		shape := "shape=box"
		if k.Class == model.ClassService {
			shape = "shape=ellipse"
		}
		line := regexp.MustCompile(`"` + k.ID + "-" + string(k.Class) + `-a" \[[^\n]*`).FindString(dot)
		if !strings.Contains(line, shape) || !strings.Contains(line, `class="`+string(k.Class)+" "+k.ID+" unaffected") {
			t.Errorf("%s %s: %s", k.Class, k.ID, line)
		}
	}
	folded := DOT(g, Options{Title: "kinds", MaxNodes: 10})
	labels := ""
	for _, f := range folded.Folded {
		labels += f.Label + "\n"
	}
	for _, k := range model.Kinds {
		if !strings.Contains(labels, "3 "+k.Plural+"\n") && !strings.Contains(labels, " "+k.Plural) {
			t.Errorf("no fold names %q:\n%s", k.Plural, labels)
		}
	}
}

// TestAlternativesAreDrawn: an alternative provider is drawn with a line to
// the consumer that can turn to it, so that as context it does not float
// alone, and the legend says what the line means.
func TestAlternativesAreDrawn(t *testing.T) {
	g := load(t, "../examples/medway-community-2024.yaml")
	im, err := g.Reach([]string{"mch"}, model.Ransomware)
	if err != nil {
		t.Fatal(err)
	}
	dot := string(DOT(g, Options{Impact: im, Focus: true}).DOT)
	if !strings.Contains(dot, `"paper-requests" -> "mch" [label="alternative"`) {
		t.Errorf("no alternative line from paper-requests to mch:\n%s", dot)
	}
	if !strings.Contains(dot, "alternative provider, to turn to when the provider is down") {
		t.Error("the legend does not explain the alternative line")
	}
}

// TestHeaderEscapesNames: names from a model reach the HTML-like label
// escaped, so that a hostile name can neither break the label nor inject
// markup into the SVG.
func TestHeaderEscapesNames(t *testing.T) {
	g := load(t, "../examples/synnovis-2024.yaml")
	im, _ := g.Reach([]string{"synnovis"}, model.Ransomware)
	hostile := `<script>alert(1)</script> "><img onerror=x> & done`
	dot := string(DOT(g, Options{Impact: im, Scenario: hostile, Subtitle: hostile}).DOT)
	if strings.Contains(dot, "<script>") || strings.Contains(dot, "<img") {
		t.Errorf("raw markup in the label:\n%s", dot[:400])
	}
	if !strings.Contains(dot, "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img onerror=x&gt; &amp; done") {
		t.Errorf("the name is not in the title, escaped:\n%s", dot[:600])
	}
}
