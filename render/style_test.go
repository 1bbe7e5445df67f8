package render

import (
	"strings"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// TestEveryRelationHasALineStyle walks the relation declaration over the
// line styles: every declared relation has a style, words and a weight of
// its own, nothing undeclared is styled but the alternative line, and a
// drawing of one dependency draws it in its style and names it in the
// legend.
func TestEveryRelationHasALineStyle(t *testing.T) {
	weights := map[int]model.Relation{}
	for _, info := range model.AllRelations() {
		r := info.Relation
		st, ok := lineStyles[r]
		if !ok || st.dot == "" || st.label == "" {
			t.Errorf("%s: no line style or words in lineStyles", r)
			continue
		}
		if other, dup := weights[st.weight]; dup {
			t.Errorf("%s: weight %d, as %s: the order of a line's relations would depend on chance", r, st.weight, other)
		}
		weights[st.weight] = r
		dot := string(DOT(pair(t, info), Options{Title: "t"}).DOT)
		if line := st.label + `", ` + st.dot + `, class="` + string(r) + `"`; !strings.Contains(dot, line) {
			t.Errorf("%s: no line drawn as %q:\n%s", r, line, dot)
		}
		if !strings.Contains(dot, `<FONT POINT-SIZE="9">`+st.label) {
			t.Errorf("%s: the legend does not name %q:\n%s", r, st.label, dot)
		}
	}
	for r := range lineStyles {
		if r != alternative && r.Info() == nil {
			t.Errorf("%s: styled, but no such relation is declared", r)
		}
	}
}

// pair is the smallest graph that holds one relation: "a" depends on "p"
// by it (or, for operator, p runs the service "a").
func pair(t *testing.T, r model.RelationInfo) *graph.Graph {
	t.Helper()
	m := &model.Model{Name: "pair", File: "pair.yaml"}
	p := &model.Node{ID: "p", Name: "p", Class: model.ClassOrganisation, Kind: "supplier"}
	a := &model.Node{ID: "a", Name: "a", Class: model.ClassOrganisation, Kind: "trust"}
	m.Organisations = []*model.Node{p}
	if r.Written {
		m.Organisations = append(m.Organisations, a)
		m.Dependencies = []*model.Dependency{{From: "a", To: "p", Type: r.Relation, Critical: true}}
	} else {
		a.Class, a.Kind, a.Operator = model.ClassService, "epr", "p"
		m.Services = []*model.Node{a}
	}
	g, err := graph.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	return g
}
