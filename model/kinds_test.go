package model_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// Every kind is complete, unique in its class, and accepted by the parser.
func TestKindsDeclared(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range model.Kinds {
		key := string(k.Class) + "/" + k.ID
		if seen[key] {
			t.Errorf("%s declared twice", key)
		}
		seen[key] = true
		if k.Singular == "" || k.Plural == "" || k.Describe == "" || k.Role == "" {
			t.Errorf("%s: incomplete declaration %+v", key, k)
		}
		src := fmt.Sprintf("version: 1\norganisations: [{id: o, kind: other}]\nservices: [{id: s, kind: other}]\n")
		if k.Class == model.ClassOrganisation {
			src = strings.Replace(src, "{id: o, kind: other}", "{id: o, kind: "+k.ID+"}", 1)
		} else {
			src = strings.Replace(src, "{id: s, kind: other}", "{id: s, kind: "+k.ID+"}", 1)
		}
		if _, err := model.Parse("k.yaml", []byte(src)); err != nil {
			t.Errorf("%s: %v", key, err)
		}
	}
	if got := len(model.OrganisationKinds) + len(model.ServiceKinds); got != len(model.Kinds) {
		t.Errorf("%d kinds listed by class, %d declared", got, len(model.Kinds))
	}
	for _, want := range []string{"urgent-care", "care-home", "local-authority", "pharmacy", "dental", "optometry", "hospice", "independent-sector"} {
		if _, ok := model.KindOf(model.ClassOrganisation, want); !ok {
			t.Errorf("no organisation kind %q", want)
		}
	}
	for _, want := range []string{"telephony", "booking", "records-sharing", "remote-access"} {
		if _, ok := model.KindOf(model.ClassService, want); !ok {
			t.Errorf("no service kind %q", want)
		}
	}
}

// The docs' tables of kinds say what the declaration says.
func TestKindsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/model.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []model.Class{model.ClassOrganisation, model.ClassService} {
		want := model.KindsTable(c)
		if !strings.Contains(string(doc), want) {
			t.Errorf("docs/model.md lacks the %s kinds table; it should read:\n%s", c, want)
		}
	}
}
