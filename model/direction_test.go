package model_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/model"
)

const directionNodes = `version: 1
organisations:
  - {id: trust, kind: trust}
  - {id: gp, kind: gp-practice}
  - {id: acme, kind: supplier}
  - {id: council, kind: local-authority}
services:
  - {id: lims, kind: pathology, operator: acme}
  - {id: cloud, kind: hosting, operator: acme}
  - {id: vpn, kind: remote-access, operator: acme}
  - {id: sso, kind: identity}
  - {id: shared-record, kind: records-sharing}
  - {id: misc, kind: other}
dependencies:
`

// Each rule of the direction warnings fires on a dependency written the
// wrong way round, at its position, with the reversed one as the hint; the
// same dependency the right way round is quiet.
func TestDirectionWarnings(t *testing.T) {
	cases := []struct {
		dep  string
		want string // the warning's message and hint; "" for none
	}{
		{"{from: vpn, to: cloud, type: access}",
			`access dependency from the remote-access service "vpn" to the hosting service "cloud" says "cloud" has access into "vpn": unlikely this way round (did you mean {from: cloud, to: vpn, type: access}? "from" is the consumer: it depends on "to")`},
		{"{from: cloud, to: vpn, type: access}", ""},
		{"{from: sso, to: trust, type: access}", `did you mean {from: trust, to: sso, type: access}?`},
		{"{from: acme, to: trust, type: access}", `access dependency from the supplier "acme" to the trust "trust"`},
		{"{from: trust, to: acme, type: access}", ""},
		{"{from: lims, to: trust, type: service}", `service dependency from the pathology service "lims" to the trust "trust" says "lims" needs what "trust" delivers`},
		{"{from: trust, to: lims, type: service}", ""},
		{"{from: shared-record, to: gp, type: data}", `says "gp" holds the data of "shared-record"`},
		{"{from: gp, to: shared-record, type: data}", ""},
		{"{from: acme, to: gp, type: service}", `did you mean {from: gp, to: acme, type: service}?`},
		{"{from: cloud, to: trust, type: hosting}", `says "cloud" runs on the platform of "trust"`},
		{"{from: cloud, to: lims, type: hosting}", `did you mean {from: lims, to: cloud, type: hosting}?`},
		{"{from: lims, to: cloud, type: hosting}", ""},
		{"{from: trust, to: cloud, type: hosting}", ""},
		{"{from: cloud, to: lims, type: service}", `service dependency from the hosting service "cloud" to the pathology service "lims"`},
		{"{from: lims, to: trust, type: network}", ""}, // a network link has no direction
		{"{from: council, to: shared-record, type: data}", ""},
		{"{from: sso, to: lims, type: service}", `did you mean {from: lims, to: sso, type: service}?`},
		{"{from: lims, to: sso, type: service}", ""},
		{"{from: acme, to: trust, type: hosting}", `says "acme" runs on the platform of "trust"`},
		{"{from: trust, to: acme, type: hosting}", ""},
		{"{from: sso, to: misc, type: service}", ""}, // kind other: never warned of
		{"{from: misc, to: trust, type: service}", ""},
	}
	for _, c := range cases {
		m, err := model.Parse("d.yaml", []byte(directionNodes+"  - "+c.dep+"\n"))
		if err != nil {
			t.Fatalf("%s: %v", c.dep, err)
		}
		var got []string
		for _, w := range m.Warnings {
			got = append(got, w.Error())
		}
		switch {
		case c.want == "" && len(got) > 0:
			t.Errorf("%s: unexpected warnings %q", c.dep, got)
		case c.want != "" && (len(got) != 1 || !strings.HasPrefix(got[0], "d.yaml:15:5: warning: ") || !strings.Contains(got[0], c.want)):
			t.Errorf("%s: got %q, want one warning at 15:5 holding %q", c.dep, got, c.want)
		}
	}
}

// No model that ships with the project sets off a direction warning, nor
// any other.
func TestNoWarningsOnShippedModels(t *testing.T) {
	files, _ := filepath.Glob("../examples/*.yaml")
	widened, _ := filepath.Glob("../testdata/widened/*.yaml")
	files = append(files, widened...)
	if len(files) < 5 {
		t.Fatalf("found %d models", len(files))
	}
	for _, f := range files {
		m, err := model.Load(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		for _, w := range m.Warnings {
			t.Errorf("%v", w)
		}
	}
}

// The docs' table of direction rules says what the rules say.
func TestDirectionRulesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/model.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := model.DirectionTable(); !strings.Contains(string(doc), want) {
		t.Errorf("docs/model.md lacks the direction rules table; it should read:\n%s", want)
	}
}
