package model

import (
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated table of docs/model.md")

// TestRelationsDeclared checks that every relation's declaration is whole:
// a forgotten field fails here rather than doing nothing somewhere else.
func TestRelationsDeclared(t *testing.T) {
	seen := map[Relation]bool{}
	for i, r := range AllRelations() {
		if r.Relation == "" || seen[r.Relation] {
			t.Errorf("relation %d: empty or repeated name %q", i, r.Relation)
		}
		seen[r.Relation] = true
		if RelationIndex(r.Relation) != i || r.Relation.Info() != &relations[i] {
			t.Errorf("%s: not found at its number %d", r.Relation, i)
		}
		if r.Carries == 0 {
			t.Errorf("%s: carries no effect", r.Relation)
		}
		if r.Reading == "" || r.Meaning == "" {
			t.Errorf("%s: no reading or meaning in words", r.Relation)
		}
		if r.Doc[0] == "" || r.Doc[1]+r.Doc[2]+r.Doc[3] == "" {
			t.Errorf("%s: no row for the docs' table", r.Relation)
		}
		for effect, c := range r.Stops {
			// The analyses stop compromise only; another effect stopped
			// would need them taught first.
			if effect != Compromise || !r.Carries.Has(effect) {
				t.Errorf("%s: stops an effect (%d) the analyses cannot stop or that it does not carry", r.Relation, effect)
			}
			if !slices.Contains(Controls, c) {
				t.Errorf("%s: stopped by %q, which is not among Controls", r.Relation, c)
			}
		}
		if r.Critical && !r.Carries.Has(Outage) {
			t.Errorf("%s: critical applies but it carries no outage", r.Relation)
		}
		if r.Written != slices.Contains(Relations, r.Relation) {
			t.Errorf("%s: Written is %v but Relations disagrees", r.Relation, r.Written)
		}
		if r.Written != slices.Contains(relationNames, string(r.Relation)) {
			t.Errorf("%s: the loader does not accept it as written", r.Relation)
		}
	}
	if len(Stopping()) > 8 {
		t.Errorf("%d controls stop effects; the analyses hold them in 8 bits", len(Stopping()))
	}
}

// TestRelationTableInDocs checks that docs/model.md holds the table the
// declaration generates; -update rewrites it.
func TestRelationTableInDocs(t *testing.T) {
	const file = "../docs/model.md"
	const begin, end = "<!-- relations: generated from model/relations.go; go test ./model/ -update rewrites it -->\n", "<!-- end relations -->"
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(src)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s: no generated relation table between %q and %q", file, begin, end)
	}
	got, want := doc[i+len(begin):j], RelationTable()
	if got == want {
		return
	}
	if *update {
		if err := os.WriteFile(file, []byte(doc[:i+len(begin)]+want+doc[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: the relation table differs from the declaration; run go test ./model/ -update\ngot:\n%s\nwant:\n%s", file, got, want)
}
