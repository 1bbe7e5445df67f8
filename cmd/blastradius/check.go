package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
	"github.com/blastradius/blastradius/output"
	"github.com/blastradius/blastradius/timeline"
)

func checkCmd() *command {
	return &command{
		name:    "check",
		summary: "check a model's scenario expectations and policies, for CI",
		usage: `Usage: blastradius check MODEL [--scenarios FILE] [--base OLD] [--format F] [--fail-on error|warning]

Runs every scenario expectation (reaches, spares, max_organisations,
max_outage_days, strains, stock_alert_after) and every policy
(max_organisations, max_expected_organisations, require_controls,
critical_needs_alternative, recovery_within_tolerance, max_strained) of the
model, and reports each finding with its
rule, its severity, a message, the line of the model it comes from and the
lines that cause it: the dependencies and operators on the path that
explains it. An exception in force waives a finding; an expired exception
is itself a finding, and an exception that waives nothing is a warning.

With --base, a finding moves onto the line, among its causes, that the
change from OLD introduced or altered, so that code review shows it on the
changed line; the expectation or policy it breaks becomes a related
location. An OLD revision that lacks the file (a new model) or that does
not load changes nothing; an OLD file that does not exist is an error, exit
2, reported like a model that does not load. A model that does not load is reported too: every load error is
a finding of the rule "model" at its line, and the exit code is 2.

MODEL and OLD are files, "-" for standard input, or git revisions written
REV:PATH (main:models/sel.yaml, HEAD~1:sel.yaml), read with "git show".

Flags:
  --scenarios FILE    take scenarios and policies from FILE instead of MODEL
  --base OLD          the version the change starts from (see above)
  --format F          text (default); json; sarif (SARIF 2.1.0, for code
                      scanning); junit (JUnit XML, one test case per
                      expectation and policy); codequality (GitLab code
                      quality); markdown (a pull-request comment)
  --fail-on S         exit 1 on findings of severity S or worse: error
                      (default) or warning
  --root DIR          make file URIs in SARIF and code quality relative to
                      DIR (default: the git top level, else the working
                      directory)
  --today YYYY-MM-DD  the date exceptions are checked against (default: today)
  -o FILE             write the report to FILE, atomically

Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 the model or
the scenarios file is invalid (the report is still written, except as
text), or a flag is wrong.

Examples:
  blastradius check examples/synnovis-2024.yaml
  blastradius check models/sel.yaml --format sarif -o blastradius.sarif
  blastradius check models/sel.yaml --base main:models/sel.yaml --format sarif -o blastradius.sarif
  blastradius check models/sel.yaml --scenarios ci/scenarios.yaml --format junit -o report.xml
`,
		run: runCheck,
	}
}

// reportFlags are the flags of commands that write an output.Result.
type reportFlags struct {
	format, root, today *string
}

func addReportFlags(f *flags) reportFlags {
	return reportFlags{
		format: f.word("format", "text", output.Names()...),
		root:   f.String("root", "", ""),
		today:  f.String("today", "", ""),
	}
}

// check validates --today, filling in today's date.
func (r reportFlags) check(e *env, f *flags) (int, bool) {
	if *r.today == "" {
		*r.today = time.Now().Format(time.DateOnly)
	} else if _, err := time.Parse(time.DateOnly, *r.today); err != nil {
		return f.usageError(e, "--today %q: write a date as YYYY-MM-DD", *r.today), false
	}
	return 0, true
}

// repositoryRoot is the top level of the git work tree around the working
// directory, or else the working directory.
func repositoryRoot() string {
	cmd := exec.Command("git", "rev-parse", "--show-toplevel")
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	if out, err := cmd.Output(); err == nil {
		if dir := strings.TrimSpace(string(out)); dir != "" {
			return dir
		}
	}
	wd, _ := os.Getwd()
	return wd
}

// write formats a result and emits it; its exit code is the result's.
// A model that did not load writes no text: its errors are on standard
// error already.
func (r reportFlags) write(e *env, f *flags, res *output.Result) int {
	if *r.root == "" {
		*r.root = repositoryRoot()
	}
	if abs, err := filepath.Abs(*r.root); err == nil {
		*r.root = abs
	}
	res.Root, res.Version = *r.root, version
	if res.FailOn == "" {
		res.FailOn = graph.SeverityError
	}
	if res.Invalid && *r.format == "text" {
		return res.Exit()
	}
	fm, _ := output.Lookup(*r.format) // checked by the flag
	var out bytes.Buffer
	if err := fm.Format(&out, res); err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %v\n", err)
		return exitError
	}
	return emit(e, f.out, out.Bytes(), res.Exit())
}

func runCheck(e *env, args []string) int {
	f := newFlags(checkCmd(), true, true)
	scenarios := f.String("scenarios", "", "")
	base := f.String("base", "", "")
	failOn := f.word("fail-on", "error", "error", "warning")
	rf := addReportFlags(f)
	path, code, ok := f.parseModel(e, args)
	if !ok {
		return code
	}
	if code, ok := rf.check(e, f); !ok {
		return code
	}
	if errs := missingBase(*base); errs != nil {
		fmt.Fprintf(e.stderr, "blastradius: %s: %s (%s)\n", *base, errs[0].Msg, errs[0].Hint)
		return rf.write(e, f, &output.Result{Report: graph.ModelReport(*base, errs), Invalid: true})
	}
	m, errs := loadVersionList(e, path, f.limits)
	if errs == nil && *scenarios != "" {
		var src []byte
		var name string
		var err error
		if name, src, err = readSource(e, *scenarios, f.limits); err == nil {
			m, err = model.ParseScenarios(m, name, src, f.limits)
		}
		if err != nil {
			reportLoadError(e, *scenarios, err)
			errs = asErrorList(*scenarios, err)
		}
	}
	if errs != nil {
		return rf.write(e, f, &output.Result{Report: graph.ModelReport(path, flagHints(errs)), Invalid: true})
	}
	rep, err := graph.Check(m, *rf.today, timeline.Checks)
	if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %s: %v\n", path, err)
		return exitError
	}
	if *base != "" {
		// A base that does not load (a new model, or a broken one that this
		// change mends) leaves every finding on its rule's line.
		if old, ok := loadVersion(e, *base, f.limits); ok {
			oldScenarios := ""
			if *scenarios != "" {
				old, oldScenarios = baseScenarios(old, *base, *scenarios, f.limits)
			}
			rep.Anchor(old)
			if err := rep.Place(old, lineEdits(m, old, *scenarios, oldScenarios)); err != nil {
				fmt.Fprintf(e.stderr, "blastradius: --base %s: %v\n", *base, err)
				return exitError
			}
		} else {
			fmt.Fprintf(e.stderr, "blastradius: --base %s does not load, so findings stay on the lines of their rules\n", *base)
		}
	}
	return rf.write(e, f, &output.Result{Report: rep, FailOn: graph.Severity(*failOn), Scenarios: *scenarios})
}

// missingBase is the error of a --base that names a file that does not
// exist, or nil. A revision (REV:PATH) whose file is missing is a model new
// in the change, and a base that exists but does not load one the change
// mends: both leave findings on their rules' lines instead.
func missingBase(base string) model.ErrorList {
	if base == "" || base == "-" || strings.Contains(base, ":") {
		return nil
	}
	if _, err := os.Stat(base); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return model.ErrorList{{File: base, Msg: "no such file, named by --base", Hint: "give the version the change starts from: a file, or REV:PATH such as main:models/sel.yaml"}}
}

// baseScenarios is the base model with the scenarios file as it was: at
// the base's revision if the base is REV:PATH (none if the file is not
// there, as when the change adds it), else the file as it is. It returns
// the name the file's lines go by, empty if the base has none.
func baseScenarios(old *model.Model, base, scenarios string, lim model.Limits) (*model.Model, string) {
	name := scenarios
	var src []byte
	var err error
	if rev, _, isRev := strings.Cut(base, ":"); isRev && !fileExists(base) && scenarios != "-" {
		name = rev + ":" + scenarios
		if !filepath.IsAbs(scenarios) && !strings.HasPrefix(scenarios, "./") && !strings.HasPrefix(scenarios, "../") {
			name = rev + ":./" + scenarios // relative to this directory, as the flag is
		}
		src, err = git("cat-file", "blob", name)
	} else {
		src, err = os.ReadFile(scenarios)
	}
	if err == nil {
		if m, perr := model.ParseScenarios(old, name, src, lim); perr == nil {
			return m, name
		}
	}
	out := *old
	out.Scenarios, out.Policies = nil, nil
	return &out, ""
}

// lineEdits compares, line by line, every file of the checked model m (and
// the scenarios file) with the same file of the base: the lines the change
// touched, where Place puts its new findings. A file the base lacks is
// touched throughout.
func lineEdits(m, old *model.Model, scenarios, oldScenarios string) map[string]graph.Edit {
	edits := map[string]graph.Edit{}
	newDir, oldDir := dirOf(m.File), dirOf(old.File)
	add := func(name, baseName string) {
		src, err := os.ReadFile(name)
		if err != nil {
			return
		}
		var was []byte
		if baseName != "" {
			if was, err = readBase(baseName); err != nil {
				baseName = ""
			}
		}
		e := graph.LineEdit(was, src)
		e.Base = baseName
		edits[name] = e
	}
	for _, name := range m.Files {
		if name == "<stdin>" {
			continue
		}
		baseName := ""
		if rel, ok := strings.CutPrefix(name, newDir); ok && slices.Contains(old.Files, oldDir+rel) {
			baseName = oldDir + rel
		}
		add(name, baseName)
	}
	if scenarios != "" && scenarios != "-" {
		add(scenarios, oldScenarios)
	}
	return edits
}

// dirOf is the directory part of a model's file name, with its slash, or
// the "REV:" of a revision's file at the top of the repository.
func dirOf(name string) string {
	if i := strings.LastIndexAny(name, "/"+string(filepath.Separator)); i >= 0 {
		return name[:i+1]
	}
	if rev, _, ok := strings.Cut(name, ":"); ok && !fileExists(name) {
		return rev + ":"
	}
	return ""
}

// readBase reads a file of the base: from disk, or REV:PATH from git.
func readBase(name string) ([]byte, error) {
	if fileExists(name) || !strings.Contains(name, ":") {
		return os.ReadFile(name)
	}
	return git("cat-file", "blob", name)
}

func fileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}
