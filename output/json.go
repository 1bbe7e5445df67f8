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
	if r.Delta != nil && !r.Invalid {
		v = r.delta()
	} else {
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
