package output

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/internal/textsafe"
)

// Text writes findings as a compiler does, one a line, then a summary;
// for diff, what changed, then the new and resolved findings.
type Text struct{}

// Rows is how many changed blast radii the text and Markdown of diff list.
const Rows = 20

func (Text) Format(out io.Writer, r *Result) error {
	w := textsafe.NewWriter(out)
	defer w.Flush()
	b := bufio.NewWriter(w)
	if r.Delta != nil && !r.Invalid {
		writeDiffText(b, r.delta(), r.Added)
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
			f.Message += fmt.Sprintf(" (the %s is at %s)", f.Breaks(), f.Causes[0].Pos)
		}
		if f.Waiver != nil {
			waived++
			fmt.Fprintf(w, "%s: waived %s: %s [%s] (exception until %s: %s)\n", f.Pos, f.Severity, f.Message, f.Rule, f.Waiver.Until, f.Waiver.Reason)
			continue
		}
		fmt.Fprintln(w, f)
	}
	failed := 0 // as JUnit counts them: a check fails if a finding fails the result
	for _, c := range rep.Checks {
		if slices.ContainsFunc(c.Findings, r.Fails) {
			failed++
		}
	}
	if len(rep.Findings) > 0 {
		fmt.Fprintln(w)
	}
	errs, warns := rep.Count(graph.SeverityError), rep.Count(graph.SeverityWarning)-rep.Count(graph.SeverityError)
	fmt.Fprintf(w, "%s: %s, %s failed; %s, %s", rep.File, english.Plural(len(rep.Checks), "check"), english.Commas(failed), english.Plural(errs, "error"), english.Plural(warns, "warning"))
	if waived > 0 {
		fmt.Fprintf(w, ", %s waived", english.Commas(waived))
	}
	fmt.Fprintln(w, ".")
}

// DepText describes a dependency in words, in the direction the file
// writes it: "a depends on b (service, not critical)". Arrows in text
// outputs mean only the way an effect spreads, which is the other way.
func DepText(d graph.DepRef) string {
	crit := ""
	if d.Type.HasAlternatives() && !d.Critical {
		crit = ", not critical"
	}
	return fmt.Sprintf("%s depends on %s (%s%s)", d.From, d.To, d.Type, crit)
}

func writeDiffText(w io.Writer, d *graph.Delta, added bool) {
	if added {
		fmt.Fprintf(w, "New model %s (%s does not exist)\n\n", d.New, d.Old)
	} else {
		fmt.Fprintf(w, "Changes from %s to %s\n\n", d.Old, d.New)
	}
	c := english.Commas[int]
	fmt.Fprintf(w, "Organisations and services: %s added, %s removed, %s with changed controls\n", c(len(d.Nodes.Added)), c(len(d.Nodes.Removed)), c(len(d.Nodes.Changed)))
	for _, id := range d.Nodes.Added {
		fmt.Fprintf(w, "  + %s\n", id)
	}
	for _, id := range d.Nodes.Removed {
		fmt.Fprintf(w, "  - %s\n", id)
	}
	for _, c := range d.Nodes.Changed {
		fmt.Fprintf(w, "  ~ %s: controls%s%s\n", c.ID, prefixAll(" +", c.Added), prefixAll(" -", c.Removed))
	}
	fmt.Fprintf(w, "Dependencies: %s added, %s removed\n", c(len(d.Dependencies.Added)), c(len(d.Dependencies.Removed)))
	for _, x := range d.Dependencies.Added {
		fmt.Fprintf(w, "  + %s  (%s:%d)\n", DepText(x), cmp.Or(x.File, d.New), x.Line)
	}
	for _, x := range d.Dependencies.Removed {
		fmt.Fprintf(w, "  - %s  (%s:%d)\n", DepText(x), cmp.Or(x.File, d.Old), x.Line)
	}
	fmt.Fprintf(w, "\nBlast radius when each organisation or service alone is compromised: %s changed\n", c(len(d.BlastRadius)))
	if len(d.BlastRadius) > 0 {
		fmt.Fprintln(w, "Organisations affected, and the people they serve (each counted once), before and after:")
		fmt.Fprintf(w, "  %-24s %-12s %20s %6s %7s %14s %10s\n", "node", "mode", "organisations before", "after", "change", "people before", "after")
	}
	for i, r := range d.BlastRadius {
		if i == Rows {
			fmt.Fprintf(w, "  and %s more (--format json lists them all)\n", c(len(d.BlastRadius)-Rows))
			break
		}
		fmt.Fprintf(w, "  %-24s %-12s %20s %6s %7s %14s %10s\n", r.ID, r.Mode, c(r.Before), c(r.After), signed(int64(r.After-r.Before)),
			english.Commas(r.PeopleBefore), english.Commas(r.PeopleAfter))
	}
	if d.MaxIncrease > 0 {
		fmt.Fprintf(w, "Largest increase: %s.\n", english.Plural(d.MaxIncrease, "organisation"))
	}
	fmt.Fprintf(w, "\nFindings: %s new, %s resolved\n", c(len(d.Findings.New)), c(len(d.Findings.Resolved)))
	for _, f := range d.Findings.New {
		if f.Moved() {
			f.Message += fmt.Sprintf(" (the %s is at %s)", f.Breaks(), f.Causes[0].Pos)
		}
		fmt.Fprintf(w, "  new:      %s: %s: %s [%s]\n", f.Pos, f.Severity, f.Message, f.Rule)
	}
	for _, f := range d.Findings.Resolved {
		fmt.Fprintf(w, "  resolved: %s: %s [%s]\n", f.Pos, f.Message, f.Rule)
	}
}

// signed writes a change with its sign and thousands separators: +1,200.
func signed(n int64) string {
	if n > 0 {
		return "+" + english.Commas(n)
	}
	if n == 0 {
		return "±0"
	}
	return english.Commas(n)
}

func prefixAll(p string, s []string) string {
	var b strings.Builder
	for _, x := range s {
		b.WriteString(p + x)
	}
	return b.String()
}
