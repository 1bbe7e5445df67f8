// Package output writes what "check" and "diff" found in every format a
// person or a pipeline reads: text, JSON, SARIF for code scanning, JUnit
// for test reports, GitLab code quality, and Markdown for a pull-request
// comment. Each format is one file holding one Formatter; Formats lists
// them all, so a new format is one file and one line there.
//
// A Result is the one thing every formatter reads, and it computes the
// exit code, so that the report and the exit code can never disagree.
package output

import (
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/english"
)

// Formatter writes a result in one format.
type Formatter interface {
	Format(w io.Writer, r *Result) error
}

// Format is a registered format: its name, as --format takes it, and its
// formatter.
type Format struct {
	Name string
	Formatter
}

// Formats lists every format, in the order help text names them.
var Formats = []Format{
	{"text", Text{}},
	{"json", JSON{}},
	{"sarif", SARIF{}},
	{"junit", JUnit{}},
	{"codequality", CodeQuality{}},
	{"markdown", Markdown{}},
}

// Names returns the names of every format.
func Names() []string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = f.Name
	}
	return names
}

// Lookup returns the formatter of a format by name.
func Lookup(name string) (Formatter, bool) {
	for _, f := range Formats {
		if f.Name == name {
			return f.Formatter, true
		}
	}
	return nil, false
}

// Exit codes, as every command documents them.
const (
	ExitOK      = 0 // nothing fails
	ExitProblem = 1 // a finding fails, or a blast radius grew too much
	ExitError   = 2 // the model could not be loaded
)

// Home is the project's home page; rules' help links point into its docs.
const Home = "https://github.com/blastradius/blastradius"

// Result is what a formatter writes: the report of "check", or the
// comparison of "diff", or the errors of a model that did not load.
type Result struct {
	// Report is the report of check; for a model that did not load it holds
	// the load errors as findings of the rule "model" (see graph.ModelReport).
	Report *graph.Report
	// Delta is the comparison of diff; nil for check. Its new findings are
	// the findings of the result.
	Delta *graph.Delta
	// Invalid says that the model did not load.
	Invalid bool
	// FailOn is the least severity that fails (default error).
	FailOn graph.Severity
	// FailOnIncrease, for diff, fails the change if any node's blast radius
	// grows by more than this many organisations; negative is off.
	FailOnIncrease int
	// Root is the directory that file URIs are relative to (SARIF, code
	// quality); empty means paths are used as they are, made relative.
	Root string
	// Version is the version of the tool, for SARIF.
	Version string
	// Scenarios is the file of scenarios and policies check read, if any.
	Scenarios string
	// Versions are, for diff, OLD and NEW as given, kept when one does not
	// load, so that its JSON keeps diff's shape.
	Versions [2]string
	// Added says, for diff, that OLD does not exist: the change adds the
	// model, compared with an empty one.
	Added bool
}

// Exit is the exit code the result calls for: 2 if the model did not
// load, 1 if a finding fails (unwaived and at or above FailOn) or, for
// diff, a blast radius grew by more than FailOnIncrease; 0 otherwise.
func (r *Result) Exit() int {
	switch {
	case r.Invalid:
		return ExitError
	case r.Delta != nil && r.Delta.MaxIncrease > r.FailOnIncrease && r.FailOnIncrease >= 0:
		return ExitProblem
	}
	for _, f := range r.Findings() {
		if r.Fails(f) {
			return ExitProblem
		}
	}
	return ExitOK
}

// Fails reports whether a finding fails the result: it is not waived and
// its severity is at or above FailOn.
func (r *Result) Fails(f graph.Finding) bool {
	return f.Waiver == nil && (f.Severity == graph.SeverityError || r.FailOn == graph.SeverityWarning)
}

// Findings returns the findings the result reports: every finding of check,
// or the new findings of diff, with, past FailOnIncrease, the growth of a
// blast radius (graph.Delta.Increase) as one more.
func (r *Result) Findings() []graph.Finding {
	if r.Delta != nil && !r.Invalid {
		if f, ok := r.Delta.Increase(r.FailOnIncrease); ok {
			return append(slices.Clip(r.Delta.Findings.New), f)
		}
		return r.Delta.Findings.New
	}
	return r.Report.Findings
}

// delta is the comparison of diff with the findings it reports as new:
// those of Findings, the growth past FailOnIncrease among them.
func (r *Result) delta() *graph.Delta {
	d := *r.Delta
	d.Findings.New = r.Findings()
	return &d
}

// Checks returns the checks of the result, as test cases: every check of
// check; for diff, one case for each check with a new finding (or one that
// passes, if there is none) and, with FailOnIncrease, one for the growth of
// blast radii. A model with nothing to check has one case that passes,
// "the model loads": Jenkins' junit step fails a build whose reports hold
// no test case.
func (r *Result) Checks() []graph.CheckResult {
	if r.Delta == nil || r.Invalid {
		if len(r.Report.Checks) == 0 {
			return []graph.CheckResult{{Name: "the model loads", Group: "model", Findings: []graph.Finding{}}}
		}
		return r.Report.Checks
	}
	var out []graph.CheckResult
	index := map[string]int{}
	for _, f := range r.Delta.Findings.New {
		i, ok := index[f.Check]
		if !ok {
			group, name, found := strings.Cut(f.Check, ": ")
			if !found {
				group, name = "diff", f.Check
			}
			i = len(out)
			index[f.Check] = i
			out = append(out, graph.CheckResult{Name: name, Group: group})
		}
		out[i].Findings = append(out[i].Findings, f)
	}
	if len(out) == 0 {
		out = append(out, graph.CheckResult{Name: "the change adds no finding", Group: "diff", Findings: []graph.Finding{}})
	}
	if n := r.FailOnIncrease; n >= 0 {
		c := graph.CheckResult{Name: "no blast radius grows by more than " + english.Plural(n, "organisation"), Group: "diff", Findings: []graph.Finding{}}
		if f, ok := r.Delta.Increase(n); ok {
			c.Findings = append(c.Findings, f)
		}
		out = append(out, c)
	}
	return out
}

// File is the model the result is about: the checked model, or NEW.
func (r *Result) File() string {
	if r.Delta != nil && !r.Invalid {
		return r.Delta.New
	}
	return r.Report.File
}

// Title names the result: "check FILE", with the scenarios file if any,
// or "diff OLD NEW".
func (r *Result) Title() string {
	if r.Delta != nil && !r.Invalid {
		return fmt.Sprintf("diff %s %s", r.Delta.Old, r.Delta.New)
	}
	if r.Scenarios != "" {
		return fmt.Sprintf("check %s --scenarios %s", r.Report.File, r.Scenarios)
	}
	return "check " + r.Report.File
}

// URI turns a model's path into a URI reference relative to Root, with
// forward slashes, never absolute: code scanning resolves it against the
// repository's root.
func (r *Result) URI(path string) string {
	switch path {
	case "<stdin>", "-", "":
		return "stdin"
	}
	rev, file, isRev := strings.Cut(path, ":")
	if isRev && !filepath.IsAbs(path) && !strings.ContainsAny(rev, `/\`) {
		path = file // REV:PATH names a file from the repository's root
	} else if r.Root != "" {
		if abs, err := filepath.Abs(path); err == nil {
			if rel, err := filepath.Rel(r.Root, abs); err == nil {
				path = rel
			}
		}
	}
	path = filepath.ToSlash(path)
	path = strings.TrimLeft(path, "/")
	return (&url.URL{Path: path}).String()
}
