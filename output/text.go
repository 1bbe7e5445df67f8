package output

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// Text writes findings as a compiler does, one a line, then a summary;
// for diff, what changed, then the new and resolved findings.
type Text struct{}

// Rows is how many changed blast radii the text and Markdown of diff list.
const Rows = 20

func (Text) Format(w io.Writer, r *Result) error {
	b := bufio.NewWriter(w)
	if r.Delta != nil && !r.Invalid {
		writeDiffText(b, r.Delta)
	} else {
		writeCheckText(b, r)
	}
	return b.Flush()
}

func writeCheckText(w io.Writer, r *Result) {
	rep := r.Report
	waived := 0
	for _, f := range rep.Findings {
		if f.Moved() {
			f.Message += fmt.Sprintf(" (the %s is at %s)", f.Breaks(), at(f.Causes[0]))
		}
		if f.Waiver != nil {
			waived++
			fmt.Fprintf(w, "%s:%d:%d: waived %s: %s [%s] (exception until %s: %s)\n", f.File, f.Line, f.Column, f.Severity, f.Message, f.Rule, f.Waiver.Until, f.Waiver.Reason)
			continue
		}
		fmt.Fprintf(w, "%s:%d:%d: %s: %s [%s]\n", f.File, f.Line, f.Column, f.Severity, f.Message, f.Rule)
	}
	failed := 0
	for _, c := range rep.Checks {
		if !c.Passed() {
			failed++
		}
	}
	if len(rep.Findings) > 0 {
		fmt.Fprintln(w)
	}
	errs, warns := rep.Count(graph.SeverityError), rep.Count(graph.SeverityWarning)-rep.Count(graph.SeverityError)
	fmt.Fprintf(w, "%s: %s, %d failed; %s, %s", rep.File, plural(len(rep.Checks), "check"), failed, plural(errs, "error"), plural(warns, "warning"))
	if waived > 0 {
		fmt.Fprintf(w, ", %d waived", waived)
	}
	fmt.Fprintln(w, ".")
}

// DepText describes a dependency: "a → b (service, not critical)".
func DepText(d graph.DepRef) string {
	crit := ""
	if d.Type == model.Service && !d.Critical {
		crit = ", not critical"
	}
	return fmt.Sprintf("%s → %s (%s%s)", d.From, d.To, d.Type, crit)
}

func writeDiffText(w io.Writer, d *graph.Delta) {
	fmt.Fprintf(w, "Changes from %s to %s\n\n", d.Old, d.New)
	fmt.Fprintf(w, "Nodes: %d added, %d removed, %d with changed controls\n", len(d.Nodes.Added), len(d.Nodes.Removed), len(d.Nodes.Changed))
	for _, id := range d.Nodes.Added {
		fmt.Fprintf(w, "  + %s\n", id)
	}
	for _, id := range d.Nodes.Removed {
		fmt.Fprintf(w, "  - %s\n", id)
	}
	for _, c := range d.Nodes.Changed {
		fmt.Fprintf(w, "  ~ %s: controls%s%s\n", c.ID, prefixAll(" +", c.Added), prefixAll(" -", c.Removed))
	}
	fmt.Fprintf(w, "Dependencies: %d added, %d removed\n", len(d.Dependencies.Added), len(d.Dependencies.Removed))
	for _, x := range d.Dependencies.Added {
		fmt.Fprintf(w, "  + %s  (%s:%d)\n", DepText(x), d.New, x.Line)
	}
	for _, x := range d.Dependencies.Removed {
		fmt.Fprintf(w, "  - %s  (%s:%d)\n", DepText(x), d.Old, x.Line)
	}
	fmt.Fprintf(w, "\nBlast radius, organisations affected when each node alone is compromised: %d changed\n", len(d.BlastRadius))
	for i, r := range d.BlastRadius {
		if i == Rows {
			fmt.Fprintf(w, "  and %d more (--format json lists them all)\n", len(d.BlastRadius)-Rows)
			break
		}
		fmt.Fprintf(w, "  %-24s %-12s %4d → %-4d (%+d)\n", r.ID, r.Mode, r.Before, r.After, r.After-r.Before)
	}
	if d.MaxIncrease > 0 {
		fmt.Fprintf(w, "Largest increase: %s.\n", plural(d.MaxIncrease, "organisation"))
	}
	fmt.Fprintf(w, "\nFindings: %d new, %d resolved\n", len(d.Findings.New), len(d.Findings.Resolved))
	for _, f := range d.Findings.New {
		if f.Moved() {
			f.Message += fmt.Sprintf(" (the %s is at %s)", f.Breaks(), at(f.Causes[0]))
		}
		fmt.Fprintf(w, "  new:      %s:%d:%d: %s: %s [%s]\n", f.File, f.Line, f.Column, f.Severity, f.Message, f.Rule)
	}
	for _, f := range d.Findings.Resolved {
		fmt.Fprintf(w, "  resolved: %s:%d:%d: %s [%s]\n", f.File, f.Line, f.Column, f.Message, f.Rule)
	}
}

func prefixAll(p string, s []string) string {
	var b strings.Builder
	for _, x := range s {
		b.WriteString(p + x)
	}
	return b.String()
}

func at(c graph.Cause) string { return fmt.Sprintf("%s:%d:%d", c.File, c.Line, c.Column) }
