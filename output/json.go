package output

import (
	"encoding/json"
	"io"

	"github.com/blastradius/blastradius/graph"
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
	if r.Delta == nil || r.Invalid {
		rep := r.Report
		v = checkJSON{rep, rep.Count(graph.SeverityError), rep.Count(graph.SeverityWarning) - rep.Count(graph.SeverityError)}
	}
	return writeJSON(w, v)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
