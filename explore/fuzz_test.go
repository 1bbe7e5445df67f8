package explore

import (
	"strings"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// FuzzWhatIf: any text from an address either is refused or reads back the
// same; applied to a model it never panics, and either fails or builds.
func FuzzWhatIf(f *testing.F) {
	for _, s := range []string{
		"", "control:synnovis-lims:mfa", "remove:gstt:synnovis-lims", "remove:gstt:synnovis-lims:network",
		"alternative:gstt:synnovis-lims:barts-pathology", "control:a:b,remove:c:d,alternative:e:f:g",
		"control::", ",,,", "remove:gstt:gstt:", "alternative:gstt:synnovis-lims:gstt",
		"uncontrol:synnovis:mfa", "add:kch:barts-pathology:service:critical=false:alt=synnovis-lims:likelihood=0.5",
		"add:null:~:data", "add:-a:.b:service:likelihood=1e-3", "control:a=b:mfa",
	} {
		f.Add(s)
	}
	m, err := model.LoadWith("../examples/synnovis-2024.yaml", model.DefaultLimits)
	if err != nil {
		f.Fatal(err)
	}
	s, err := NewSession("synnovis", m)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		w, err := ParseWhatIf(text)
		if err != nil {
			return
		}
		again, err := ParseWhatIf(w.String())
		if err != nil || again.String() != w.String() {
			t.Fatalf("%q reads as %q, which reads as %q (%v)", text, w.String(), again.String(), err)
		}
		if _, err := s.Analyse(Query{Seeds: []string{"synnovis"}, Assume: w}); err != nil && !strings.HasPrefix(err.Error(), "what-if: ") {
			t.Fatalf("%q: the error does not say it is the what-if's: %v", text, err)
		}
	})
}
