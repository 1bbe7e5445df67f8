package render

import (
	"testing"

	"github.com/blastradius/blastradius/model"
)

// Every kind has a plural in folded labels, read from its declaration, and
// the kinds drawn before the declaration existed keep their words.
func TestFoldNamesEveryKind(t *testing.T) {
	for _, k := range model.Kinds {
		got := pluralKind(&model.Node{Class: k.Class, Kind: k.ID}, 2)
		if got == "" || got != k.Plural {
			t.Errorf("%s %s: %q, want %q", k.Class, k.ID, got, k.Plural)
		}
	}
	before := map[string]string{
		"organisation/gp-practice": "GP practices", "organisation/trust": "trusts", "organisation/community": "community providers",
		"organisation/mental-health": "mental health trusts", "organisation/supplier": "suppliers", "organisation/icb": "ICBs",
		"organisation/ambulance": "ambulance trusts", "organisation/other": "other organisations",
		"service/pathology": "pathology services", "service/imaging": "imaging services", "service/gateway": "gateway services",
		"service/epr": "epr services", "service/network": "network services", "service/identity": "identity services",
		"service/hosting": "hosting services", "service/other": "services",
	}
	for _, k := range model.Kinds {
		if want, ok := before[string(k.Class)+"/"+k.ID]; ok && k.Plural != want {
			t.Errorf("%s %s: plural %q, drawings said %q", k.Class, k.ID, k.Plural, want)
		}
	}
}
