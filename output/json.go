package output

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/textsafe"
)

// JSON writes the report of check, with counts of unwaived errors and
// warnings, or the comparison of diff, as indented JSON.
type JSON struct{}

type checkJSON struct {
	*graph.Report
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

func (JSON) Format(w io.Writer, r *Result) error {
	var v any = r.Delta
	switch {
	case r.Delta != nil && !r.Invalid:
		v = r.delta()
	case r.Versions[0] != "":
		// diff of a version that does not load: diff's shape, with nothing
		// compared and the load errors as its new findings.
		d := &graph.Delta{Old: r.Versions[0], New: r.Versions[1], BlastRadius: []graph.RadiusChange{},
			Nodes:        graph.NodeDelta{Added: []string{}, Removed: []string{}, Changed: []graph.ControlDelta{}},
			Dependencies: graph.DepDelta{Added: []graph.DepRef{}, Removed: []graph.DepRef{}},
			Findings:     graph.FindingDelta{New: r.Report.Findings, Resolved: []graph.Finding{}}}
		v = d
	default:
		rep := *r.Report
		if rep.Checks == nil {
			rep.Checks = []graph.CheckResult{} // a model with nothing to check
		}
		v = checkJSON{&rep, rep.Count(graph.SeverityError), rep.Count(graph.SeverityWarning) - rep.Count(graph.SeverityError)}
	}
	return writeJSON(w, v)
}

// writeJSON writes v indented, with every string that holds a character
// that changes how text is shown rewritten to show it (textsafe.JSON).
func writeJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(textsafe.JSON(b.Bytes()))
	return err
}
