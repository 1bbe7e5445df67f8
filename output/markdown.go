package output

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/internal/textsafe"
)

// Markdown writes a pull-request comment: for diff, a summary, the new and
// resolved findings, the largest changes of blast radius and a Mermaid
// diagram of what changed; for check, the findings. It starts with Marker,
// so that a pipeline can find its own comment and update it in place, and
// it stays under MaxComment characters at any size of change: long lists
// are cut, largest changes first, saying how many were left out, and the
// diagram is drawn only within Mermaid's limits.
type Markdown struct{}

const (
	// Marker starts every comment: an HTML comment, invisible once rendered.
	Marker = "<!-- blastradius -->"
	// MaxComment is the most characters a comment may have: GitHub refuses
	// comments over 65,536.
	MaxComment = 60000
	// mermaidMaxText and mermaidMaxEdges are Mermaid's default limits
	// (maxTextSize and maxEdges): past them it refuses to draw.
	mermaidMaxText  = 50000
	mermaidMaxEdges = 500
	// mermaidFoldAbove is the most dependencies drawn one by one: past it,
	// those added (or removed) on one provider with one type fold into one
	// box, as render folds similar nodes, so that the diagram stays a
	// few screens tall rather than one row for each.
	mermaidFoldAbove = 40
	// listed is how many findings and dependencies each list shows.
	listed = 50
)

func (Markdown) Format(out io.Writer, r *Result) error {
	w := textsafe.NewWriter(out)
	defer w.Flush()
	var b strings.Builder
	if r.Delta != nil && !r.Invalid {
		writeDiffMarkdown(&b, r.delta(), r.Added)
	} else {
		writeCheckMarkdown(&b, r)
	}
	s := b.String()
	if len(s) > MaxComment { // a last guard; the lists above are capped
		cut := strings.LastIndex(s[:MaxComment-200], "\n")
		s = s[:cut+1] + "\n… the rest is left out to fit a comment; run `blastradius` with `--format json` for all of it.\n"
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(s)
	return bw.Flush()
}

func writeCheckMarkdown(w *strings.Builder, r *Result) {
	rep := r.Report
	fmt.Fprintf(w, "%s\n### blastradius: %s\n\n", Marker, mdCode(rep.File))
	failing := 0
	for _, f := range rep.Findings {
		if r.Fails(f) {
			failing++
		}
	}
	if failing == 0 {
		fmt.Fprintf(w, "No findings fail.\n")
	} else {
		fmt.Fprintf(w, "**%s.**\n", capital(english.Plural(failing, "finding")+" fail"))
	}
	writeFindingList(w, "", rep.Findings)
}

func capital(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func writeFindingList(w *strings.Builder, label string, fs []graph.Finding) {
	if len(fs) == 0 {
		return
	}
	fmt.Fprintln(w)
	for i, f := range fs {
		if i == listed {
			fmt.Fprintf(w, "- and %s more left out\n", english.Commas(len(fs)-listed))
			break
		}
		waived := ""
		if f.Waiver != nil {
			waived = " (waived)"
		}
		fmt.Fprintf(w, "- %s%s: %s (`%s`)%s\n", label, mdCode(fmt.Sprintf("%s:%d", f.File, f.Line)), mdEscape(f.Message), f.Rule, waived)
	}
}

func writeDiffMarkdown(w *strings.Builder, d *graph.Delta, added bool) {
	verdict := "No new findings."
	if d.Widened() {
		verdict = fmt.Sprintf("**This change adds %s.**", english.Plural(len(d.Findings.New), "finding"))
	}
	if added {
		fmt.Fprintf(w, "%s\n### blastradius: new model %s\n\n%s does not exist: this change adds the model. %s", Marker, mdCode(d.New), mdCode(d.Old), verdict)
	} else {
		fmt.Fprintf(w, "%s\n### blastradius: from %s to %s\n\n%s", Marker, mdCode(d.Old), mdCode(d.New), verdict)
	}
	if d.MaxIncrease > 0 {
		fmt.Fprintf(w, " The largest blast radius grows by %s.", english.Plural(d.MaxIncrease, "organisation"))
	}
	c := english.Commas[int]
	fmt.Fprintf(w, "\n\n| | added | removed | changed |\n|---|---:|---:|---:|\n")
	fmt.Fprintf(w, "| organisations and services | %s | %s | %s |\n", c(len(d.Nodes.Added)), c(len(d.Nodes.Removed)), c(len(d.Nodes.Changed)))
	fmt.Fprintf(w, "| dependencies | %s | %s | |\n", c(len(d.Dependencies.Added)), c(len(d.Dependencies.Removed)))
	fmt.Fprintf(w, "| findings | %s | %s | |\n", c(len(d.Findings.New)), c(len(d.Findings.Resolved)))
	if len(d.Findings.New)+len(d.Findings.Resolved) > 0 {
		fmt.Fprintf(w, "\n#### Findings\n")
		writeFindingList(w, "**new** ", d.Findings.New)
		writeFindingList(w, "resolved ", d.Findings.Resolved)
	}
	if len(d.BlastRadius) > 0 {
		fmt.Fprintf(w, "\n#### Blast radius\n\nOrganisations affected, and the people they serve (each counted once), when each organisation or service alone is compromised; largest changes first.\n\n")
		fmt.Fprintf(w, "| node | mode | organisations before | after | change | people before | after |\n|---|---|---:|---:|---:|---:|---:|\n")
		for i, r := range d.BlastRadius {
			if i == Rows {
				fmt.Fprintf(w, "\n%s more changed; run `blastradius diff --format json` for all.\n", c(len(d.BlastRadius)-Rows))
				break
			}
			fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s | %s | %s |\n", r.ID, r.Mode, c(r.Before), c(r.After), signed(int64(r.After-r.Before)),
				english.Commas(r.PeopleBefore), english.Commas(r.PeopleAfter))
		}
	}
	writeMermaid(w, d)
}

// mdCode writes s as a code span on one line: control characters and
// newlines escaped, and fenced by more backticks than s holds in a row, so
// that a file name cannot end the span and write Markdown of its own.
func mdCode(s string) string {
	s = textsafe.Line(s)
	run, longest := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	if longest == 0 {
		return "`" + s + "`"
	}
	fence := strings.Repeat("`", longest+1)
	return fence + " " + s + " " + fence
}

// mdEscape makes text from a model (names, messages) inert in a comment:
// no table cell ends, no HTML, no code span, and no @mention or #123 that
// notifies people or links an issue.
func mdEscape(s string) string {
	return mdReplacer.Replace(s)
}

var mdReplacer = strings.NewReplacer("\\", "\\\\", "|", "\\|", "<", "&lt;", ">", "&gt;", "`", "\\`", "@", "&#64;", "#", "&#35;")

// writeMermaid draws the dependencies added (solid, green) and removed
// (dashed, red) and the nodes they join, each arrow pointing the way an
// effect spreads: from the provider to the node that depends on it, as
// every arrow of blastradius does. Past Mermaid's limits it lists the
// largest part of the change instead, in words.
func writeMermaid(w *strings.Builder, d *graph.Delta) {
	edges := len(d.Dependencies.Added) + len(d.Dependencies.Removed)
	if edges+len(d.Nodes.Changed) == 0 {
		return
	}
	chart, drawn := mermaid(d)
	if drawn <= mermaidMaxEdges && len(chart) <= mermaidMaxText {
		folded := ""
		if drawn < edges {
			folded = fmt.Sprintf(" %s are drawn as %s: the dependencies on one provider with one type, added or removed, share one box.", english.Plural(edges, "dependency"), english.Plural(drawn, "arrow"))
		}
		fmt.Fprintf(w, "\n#### What changed\n\nSolid green: dependency added; dashed red: removed. Arrows point the way an effect spreads: in A → B, B depends on A.%s\n\n```mermaid\n%s```\n", folded, chart)
		return
	}
	fmt.Fprintf(w, "\n#### What changed\n\nNo diagram: %s changed, more than Mermaid draws (%s edges, %s characters). ",
		english.Plural(edges, "dependency"), english.Commas(mermaidMaxEdges), english.Commas(mermaidMaxText))
	fmt.Fprintf(w, "The first %d of each kind, by the node that depends:\n\n", listed)
	list := func(sign string, deps []graph.DepRef) {
		for i, x := range deps {
			if i == listed {
				fmt.Fprintf(w, "- and %s more %s left out\n", english.Commas(len(deps)-listed), map[string]string{"+": "added", "-": "removed"}[sign])
				break
			}
			fmt.Fprintf(w, "- %s `%s`\n", sign, DepText(x))
		}
	}
	list("+", d.Dependencies.Added)
	list("-", d.Dependencies.Removed)
}

// mermaid draws the change as a Mermaid flowchart and says how many arrows
// it draws: one for each dependency, or past mermaidFoldAbove one for each
// provider, type and sign, with the nodes that depend folded into one box.
func mermaid(d *graph.Delta) (string, int) {
	var w strings.Builder
	ids := map[string]string{}
	labels := map[string]string{}
	var order []string
	id := func(s string) string {
		if v, ok := ids[s]; ok {
			return v
		}
		ids[s] = fmt.Sprintf("n%d", len(ids))
		order = append(order, s)
		return ids[s]
	}
	type arrow struct {
		removed bool
		to, typ string
		from    []string
	}
	var arrows []*arrow
	fold := len(d.Dependencies.Added)+len(d.Dependencies.Removed) > mermaidFoldAbove
	group := map[string]*arrow{}
	add := func(removed bool, x graph.DepRef) {
		key := fmt.Sprint(removed, "\x00", x.To, "\x00", x.Type)
		if a, ok := group[key]; ok && fold {
			a.from = append(a.from, x.From)
			return
		}
		a := &arrow{removed: removed, to: x.To, typ: string(x.Type), from: []string{x.From}}
		group[key] = a
		arrows = append(arrows, a)
	}
	for _, x := range d.Dependencies.Added {
		add(false, x)
	}
	for _, x := range d.Dependencies.Removed {
		add(true, x)
	}
	var lines, styles []string
	for link, a := range arrows {
		from := a.from[0]
		if len(a.from) > 1 {
			from = fmt.Sprintf("\x00%d", link) // a folded box, named by its arrow
			labels[from] = fmt.Sprintf("%s and %s more", strings.Join(a.from[:min(3, len(a.from))], ", "), english.Commas(len(a.from)-min(3, len(a.from))))
			if len(a.from) <= 3 {
				labels[from] = strings.Join(a.from, ", ")
			}
		}
		fromID, to := id(from), id(a.to) // numbered in the file's order; drawn the way an effect spreads
		if a.removed {
			lines = append(lines, fmt.Sprintf("  %s -.->|%s| %s", to, a.typ, fromID))
			styles = append(styles, fmt.Sprintf("  linkStyle %d stroke:#cf222e,stroke-width:2px,stroke-dasharray:4", link))
		} else {
			lines = append(lines, fmt.Sprintf("  %s -->|%s| %s", to, a.typ, fromID))
			styles = append(styles, fmt.Sprintf("  linkStyle %d stroke:#1a7f37,stroke-width:2px", link))
		}
	}
	for _, c := range d.Nodes.Changed {
		id(c.ID)
	}
	w.WriteString("flowchart LR\n")
	sort.Strings(order)
	for _, s := range order {
		label := s
		if l, ok := labels[s]; ok {
			label = l
		}
		for _, c := range d.Nodes.Changed {
			if c.ID == s {
				label += "<br/>controls" + prefixAll(" +", c.Added) + prefixAll(" -", c.Removed)
			}
		}
		fmt.Fprintf(&w, "  %s[\"%s\"]\n", ids[s], label)
	}
	for _, l := range lines {
		fmt.Fprintln(&w, l)
	}
	for _, s := range styles {
		fmt.Fprintln(&w, s)
	}
	return w.String(), len(arrows)
}
