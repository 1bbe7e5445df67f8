package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
	"github.com/blastradius/blastradius/output"
)

func diffCmd() *command {
	return &command{
		name:    "diff",
		summary: "how blast radii and findings change between two versions of a model",
		usage: `Usage: blastradius diff OLD NEW [--format F] [--fail-on-increase N]

Compares two versions of a model: nodes and dependencies added and removed,
controls changed, every node's blast radius before and after in both modes,
and the findings of "check" that are new or resolved. OLD and NEW are files
or git revisions written REV:PATH (main:models/sel.yaml, HEAD~1:sel.yaml),
read with "git show" in the current directory. New findings are placed on
the line, among their causes, that the change introduced or altered (as
"check --base" does).

Flags:
  --format F              text (default); json; markdown (a pull-request
                          comment, with a Mermaid diagram while it fits);
                          sarif, junit or codequality (the new findings
                          only, as "check" writes them)
  --fail-on-increase N    also fail if any node's blast radius grows by more
                          than N organisations (default: off)
  --root DIR              make file URIs relative to DIR (default: the git
                          top level, else the working directory)
  --today YYYY-MM-DD      the date exceptions are checked against (default: today)
  -o FILE                 write the result to FILE, atomically

Exit codes: 0 the change adds no finding (and, with --fail-on-increase, no
blast radius grows by more than N); 1 it does; 2 a version is invalid or
unreadable (the report is still written, except as text), or a flag is
wrong.

Examples:
  blastradius diff main:models/sel.yaml models/sel.yaml
  blastradius diff old.yaml new.yaml --format markdown -o comment.md
  blastradius diff main:models/sel.yaml models/sel.yaml --format sarif -o diff.sarif
  blastradius diff HEAD~1:models/sel.yaml models/sel.yaml --fail-on-increase 0
`,
		run: runDiff,
	}
}

func runDiff(e *env, args []string) int {
	f := newFlags(diffCmd(), true, true)
	failOn := f.Int("fail-on-increase", -1, "")
	rf := addReportFlags(f)
	pos, code, ok := f.parse(e, args)
	if !ok {
		return code
	}
	if len(pos) != 2 {
		return f.usageError(e, "name two versions, OLD and NEW (got %d)", len(pos))
	}
	if code, ok := rf.check(e, f); !ok {
		return code
	}
	var versions [2]*model.Model
	for i, p := range pos {
		m, errs := loadVersionList(e, p, f.limits)
		if errs != nil {
			return rf.write(e, f, &output.Result{Report: graph.ModelReport(p, errs), Invalid: true})
		}
		versions[i] = m
	}
	d, err := graph.Diff(versions[0], versions[1], *rf.today)
	if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %v\n", err)
		return exitError
	}
	return rf.write(e, f, &output.Result{Delta: d, FailOnIncrease: *failOn})
}

// loadVersion loads a model from a file, standard input, or REV:PATH,
// reporting problems on standard error.
func loadVersion(e *env, arg string, lim model.Limits) (*model.Model, bool) {
	m, errs := loadVersionList(e, arg, lim)
	return m, errs == nil
}

// loadVersionList is loadVersion returning the problems as well, so that a
// report can carry them: every load error, or the one reason the file
// could not be read.
func loadVersionList(e *env, arg string, lim model.Limits) (*model.Model, model.ErrorList) {
	name, src, err := readVersion(e, arg, lim)
	if err == nil {
		var m *model.Model
		if m, err = model.ParseWith(name, src, lim); err == nil {
			printWarnings(e.stderr, arg, m.Warnings)
			return m, nil
		}
	}
	reportLoadError(e, arg, err)
	return nil, asErrorList(arg, err)
}

// asErrorList returns a load error as a list: the loader's list, or one
// error for the whole file.
func asErrorList(path string, err error) model.ErrorList {
	var list model.ErrorList
	if errors.As(err, &list) {
		return list
	}
	return model.ErrorList{{File: path, Msg: strings.TrimPrefix(describeIOError(path, err), path+": ")}}
}

// readVersion reads a model from a file, standard input ("-"), or a git
// revision written REV:PATH.
func readVersion(e *env, arg string, lim model.Limits) (name string, src []byte, err error) {
	if arg == "-" {
		return readSource(e, arg, lim)
	}
	if _, err := os.Stat(arg); err == nil || !strings.Contains(arg, ":") {
		return readSource(e, arg, lim)
	}
	if strings.HasPrefix(arg, "-") {
		return "", nil, fmt.Errorf("a revision cannot start with \"-\"")
	}
	cmd := exec.Command("git", "show", arg)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		var ee *exec.Error
		if errors.As(err, &ee) {
			msg = "git is not installed"
		}
		return "", nil, fmt.Errorf("no such file, and git cannot show it: %s", msg)
	}
	max := lim.MaxBytes
	if max <= 0 {
		max = model.DefaultLimits.MaxBytes
	}
	if int64(stdout.Len()) > max {
		return "", nil, fmt.Errorf("larger than the limit of %d bytes (raise it with --max-bytes)", max)
	}
	return arg, stdout.Bytes(), nil
}
