package main

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

func diffCmd() *command {
	return &command{
		name:    "diff",
		summary: "how blast radii and findings change between two versions of a model",
		usage: `Usage: blastradius diff OLD NEW [--format text|json|markdown] [--fail-on-increase N]

Compares two versions of a model: nodes and dependencies added and removed,
controls changed, every node's blast radius before and after in both modes,
and the findings of "check" that are new or resolved. OLD and NEW are files
or git revisions written REV:PATH (main:models/sel.yaml, HEAD~1:sel.yaml),
read with "git show" in the current directory.

Flags:
  --format F              text (default), json, or markdown (for a pull
                          request comment, with a Mermaid diagram)
  --fail-on-increase N    also fail if any node's blast radius grows by more
                          than N organisations (default: off)
  --today YYYY-MM-DD      the date exceptions are checked against (default: today)
  -o FILE                 write the result to FILE, atomically

Exit codes: 0 the change adds no finding (and, with --fail-on-increase, no
blast radius grows by more than N); 1 it does; 2 a version is invalid or
unreadable, or a flag is wrong.

Examples:
  blastradius diff main:models/sel.yaml models/sel.yaml
  blastradius diff old.yaml new.yaml --format markdown -o comment.md
  blastradius diff HEAD~1:models/sel.yaml models/sel.yaml --fail-on-increase 0
`,
		run: runDiff,
	}
}

func runDiff(e *env, args []string) int {
	f := newFlags(diffCmd(), true, true)
	format := f.word("format", "text", "text", "json", "markdown")
	failOn := f.Int("fail-on-increase", -1, "")
	today := f.String("today", "", "")
	pos, code, ok := f.parse(e, args)
	if !ok {
		return code
	}
	if len(pos) != 2 {
		return f.usageError(e, "name two versions, OLD and NEW (got %d)", len(pos))
	}
	if *today == "" {
		*today = time.Now().Format(time.DateOnly)
	} else if _, err := time.Parse(time.DateOnly, *today); err != nil {
		return f.usageError(e, "--today %q: write a date as YYYY-MM-DD", *today)
	}
	var versions [2]*model.Model
	for i, p := range pos {
		m, ok := loadVersion(e, p, f.limits)
		if !ok {
			return exitError
		}
		versions[i] = m
	}
	d, err := graph.Diff(versions[0], versions[1], *today)
	if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %v\n", err)
		return exitError
	}
	var out bytes.Buffer
	switch *format {
	case "json":
		writeJSON(&out, d)
	case "markdown":
		writeDiffMarkdown(&out, d, versions[1])
	default:
		writeDiffText(&out, d)
	}
	code = exitOK
	if d.Widened() || (*failOn >= 0 && d.MaxIncrease > *failOn) {
		code = exitProblem
	}
	return emit(e, f.out, out.Bytes(), code)
}

// loadVersion loads a model from a file, standard input, or REV:PATH.
func loadVersion(e *env, arg string, lim model.Limits) (*model.Model, bool) {
	if arg == "-" {
		return load(e, arg, lim)
	}
	if _, err := os.Stat(arg); err == nil || !strings.Contains(arg, ":") {
		return load(e, arg, lim)
	}
	if strings.HasPrefix(arg, "-") {
		fmt.Fprintf(e.stderr, "blastradius: %q: a revision cannot start with \"-\"\n", arg)
		return nil, false
	}
	rev, file, _ := strings.Cut(arg, ":")
	if strings.HasPrefix(file, "./") || strings.HasPrefix(file, "../") {
		// git reads these relative to the current directory; includes are
		// joined to the path from the top of the repository.
		prefix, err := git("rev-parse", "--show-prefix")
		if err == nil {
			file = path.Join(strings.TrimSpace(string(prefix)), file)
		}
	}
	dir, base := path.Split(file)
	files := gitFiles(rev, dir)
	if _, err := files.ReadFile(base); err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %s: no such file, and git cannot show it: %s\n", arg, strings.TrimPrefix(err.Error(), file+": "))
		return nil, false
	}
	m, err := model.LoadFiles(files, base, lim)
	if err != nil {
		reportLoadError(e, arg, err)
		return nil, false
	}
	printWarnings(e.stderr, arg, m.Warnings)
	return m, true
}

// gitFiles reads a model's files at a git revision, in the repository of
// the current directory, so that OLD and the files it includes are all of
// the same revision. Names are paths from dir, the directory of the root
// file (from the top of the repository, ending in "/"); no file outside it
// is read.
func gitFiles(rev, dir string) model.Files {
	read := map[string][]byte{} // the root is read twice: once to see that it is there
	var tree []string
	return model.Files{
		ReadFile: func(name string) ([]byte, error) {
			if src, ok := read[name]; ok {
				return src, nil
			}
			src, err := git("cat-file", "blob", rev+":"+dir+name)
			if err != nil {
				msg := err.Error()
				if strings.Contains(msg, "does not exist in") || strings.Contains(msg, "exists on disk, but not in") {
					return nil, fmt.Errorf("%s: %w", dir+name, fs.ErrNotExist)
				}
				return nil, fmt.Errorf("%s: %s", dir+name, msg)
			}
			read[name] = src
			return src, nil
		},
		Glob: func(pattern string) ([]string, error) {
			if _, err := path.Match(pattern, ""); err != nil {
				return nil, err
			}
			if tree == nil {
				out, err := git("ls-tree", "-r", "-z", "--name-only", "--full-tree", rev, "--", cmp.Or(dir, "."))
				if err != nil {
					return nil, err
				}
				tree = []string{}
				for _, n := range strings.Split(string(out), "\x00") {
					if rest, ok := strings.CutPrefix(n, dir); ok && rest != "" {
						tree = append(tree, rest)
					}
				}
			}
			var names []string
			for _, n := range tree {
				if ok, _ := path.Match(pattern, n); ok {
					names = append(names, n)
				}
			}
			return names, nil // ls-tree lists in order
		},
		Prefix: rev + ":" + dir,
		Top:    "the directory of the model's root file",
	}
}

// git runs a git command in the current directory and returns its output,
// or an error holding what git said.
func git(args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.Error
		if errors.As(err, &ee) {
			return nil, errors.New("git is not installed")
		}
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, errors.New(strings.TrimPrefix(msg, "fatal: "))
	}
	return stdout.Bytes(), nil
}

func depText(d graph.DepRef) string {
	crit := ""
	if d.Type == model.Service && !d.Critical {
		crit = ", not critical"
	}
	return fmt.Sprintf("%s → %s (%s%s)", d.From, d.To, d.Type, crit)
}

const diffRows = 20

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
		fmt.Fprintf(w, "  + %s  (%s:%d)\n", depText(x), d.New, x.Line)
	}
	for _, x := range d.Dependencies.Removed {
		fmt.Fprintf(w, "  - %s  (%s:%d)\n", depText(x), d.Old, x.Line)
	}
	fmt.Fprintf(w, "\nBlast radius, organisations affected when each node alone is compromised: %d changed\n", len(d.BlastRadius))
	for i, r := range d.BlastRadius {
		if i == diffRows {
			fmt.Fprintf(w, "  and %d more (--format json lists them all)\n", len(d.BlastRadius)-diffRows)
			break
		}
		fmt.Fprintf(w, "  %-24s %-12s %4d → %-4d (%+d)\n", r.ID, r.Mode, r.Before, r.After, r.After-r.Before)
	}
	if d.MaxIncrease > 0 {
		fmt.Fprintf(w, "Largest increase: %s.\n", plural(d.MaxIncrease, "organisation"))
	}
	fmt.Fprintf(w, "\nFindings: %d new, %d resolved\n", len(d.Findings.New), len(d.Findings.Resolved))
	for _, f := range d.Findings.New {
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

// writeDiffMarkdown writes a pull-request comment.
func writeDiffMarkdown(w io.Writer, d *graph.Delta, newModel *model.Model) {
	verdict := "No new findings."
	if d.Widened() {
		verdict = fmt.Sprintf("**This change adds %s.**", plural(len(d.Findings.New), "finding"))
	}
	fmt.Fprintf(w, "### blastradius: `%s` → `%s`\n\n%s", d.Old, d.New, verdict)
	if d.MaxIncrease > 0 {
		fmt.Fprintf(w, " The largest blast radius grows by %s.", plural(d.MaxIncrease, "organisation"))
	}
	fmt.Fprintf(w, "\n\n| | added | removed | changed |\n|---|---:|---:|---:|\n")
	fmt.Fprintf(w, "| nodes | %d | %d | %d |\n", len(d.Nodes.Added), len(d.Nodes.Removed), len(d.Nodes.Changed))
	fmt.Fprintf(w, "| dependencies | %d | %d | |\n", len(d.Dependencies.Added), len(d.Dependencies.Removed))
	fmt.Fprintf(w, "| findings | %d | %d | |\n", len(d.Findings.New), len(d.Findings.Resolved))
	if len(d.Findings.New)+len(d.Findings.Resolved) > 0 {
		fmt.Fprintf(w, "\n#### Findings\n\n")
		for _, f := range d.Findings.New {
			fmt.Fprintf(w, "- **new** `%s:%d`: %s (`%s`)\n", f.File, f.Line, mdEscape(f.Message), f.Rule)
		}
		for _, f := range d.Findings.Resolved {
			fmt.Fprintf(w, "- resolved `%s:%d`: %s (`%s`)\n", f.File, f.Line, mdEscape(f.Message), f.Rule)
		}
	}
	if len(d.BlastRadius) > 0 {
		fmt.Fprintf(w, "\n#### Blast radius\n\nOrganisations affected when each node alone is compromised.\n\n| node | mode | before | after | change |\n|---|---|---:|---:|---:|\n")
		for i, r := range d.BlastRadius {
			if i == diffRows {
				fmt.Fprintf(w, "\n%d more changed; run `blastradius diff --format json` for all.\n", len(d.BlastRadius)-diffRows)
				break
			}
			fmt.Fprintf(w, "| `%s` | %s | %d | %d | %+d |\n", r.ID, r.Mode, r.Before, r.After, r.After-r.Before)
		}
	}
	writeMermaid(w, d)
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", "\\|", "<", "&lt;", ">", "&gt;").Replace(s)
}

// writeMermaid draws the dependencies added (solid, green) and removed
// (dashed, red) and the nodes they join, "A --> B" meaning A depends on B.
func writeMermaid(w io.Writer, d *graph.Delta) {
	if len(d.Dependencies.Added)+len(d.Dependencies.Removed)+len(d.Nodes.Changed) == 0 {
		return
	}
	ids := map[string]string{}
	var order []string
	id := func(s string) string {
		if v, ok := ids[s]; ok {
			return v
		}
		ids[s] = fmt.Sprintf("n%d", len(ids))
		order = append(order, s)
		return ids[s]
	}
	var lines, styles []string
	link := 0
	for _, x := range d.Dependencies.Added {
		lines = append(lines, fmt.Sprintf("  %s -->|%s| %s", id(x.From), x.Type, id(x.To)))
		styles = append(styles, fmt.Sprintf("  linkStyle %d stroke:#1a7f37,stroke-width:2px", link))
		link++
	}
	for _, x := range d.Dependencies.Removed {
		lines = append(lines, fmt.Sprintf("  %s -.->|%s| %s", id(x.From), x.Type, id(x.To)))
		styles = append(styles, fmt.Sprintf("  linkStyle %d stroke:#cf222e,stroke-width:2px,stroke-dasharray:4", link))
		link++
	}
	for _, c := range d.Nodes.Changed {
		id(c.ID)
	}
	fmt.Fprintf(w, "\n#### What changed\n\nSolid green: dependency added; dashed red: removed. A → B means A depends on B.\n\n```mermaid\nflowchart LR\n")
	sort.Strings(order)
	for _, s := range order {
		label := s
		for _, c := range d.Nodes.Changed {
			if c.ID == s {
				label += "<br/>controls" + prefixAll(" +", c.Added) + prefixAll(" -", c.Removed)
			}
		}
		fmt.Fprintf(w, "  %s[\"%s\"]\n", ids[s], label)
	}
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
	for _, s := range styles {
		fmt.Fprintln(w, s)
	}
	fmt.Fprintln(w, "```")
}
