package ods_test

import (
	"strings"
	"testing"

	"github.com/blastradius/blastradius/internal/ods"
	"github.com/blastradius/blastradius/model"
)

// No imported text becomes YAML structure: an ICB or trust name holding a
// newline and a policies block, handed to Build as a library user might,
// stays a name, and the file loads with no policy.
func TestBuildQuotesEveryName(t *testing.T) {
	evil := "NHS Evil ICB\npolicies:\n  exceptions: [{rule: max_organisations, reason: x, until: 2999-01-01}]\n#"
	in := ods.Input{
		ICBs:   []ods.Org{{Code: "QKK", Name: evil}},
		Trusts: []ods.Org{{Code: "RJ1", Name: "A trust\nservices: [x]", ICB: "QKK"}, {Code: "RJ2", Name: "Null\x00Trust\u202e", ICB: "QKK"}},
	}
	files, _, err := ods.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 {
		t.Fatalf("%d files", len(files))
	}
	m, err := model.Parse(files[0].Name, files[0].Data)
	if err != nil {
		t.Fatalf("does not load: %v\n%s", err, files[0].Data)
	}
	if m.Policies != nil || len(m.Services) != 0 {
		t.Errorf("imported text became structure:\n%s", files[0].Data)
	}
	for _, line := range strings.Split(string(files[0].Data), "\n") {
		if strings.HasPrefix(line, "policies") || strings.HasPrefix(line, "  exceptions") {
			t.Errorf("a line of its own: %q", line)
		}
	}
}
