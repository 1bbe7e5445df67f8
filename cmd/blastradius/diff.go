package main

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"strconv"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
	"github.com/blastradius/blastradius/output"
	"github.com/blastradius/blastradius/timeline"
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
read with git in the current directory, with the files they include at the
same revision. New findings are placed on the line, among their causes,
that the change introduced or altered (as "check --base" does).

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
	added := false
	for i, p := range pos {
		if i == 0 && missingAtRevision(p) {
			// The change adds the model: every node and finding is new.
			fmt.Fprintf(e.stderr, "blastradius: %s is not in its revision, so %s is a new model, compared with an empty one\n", p, pos[1])
			versions[i], added = &model.Model{File: p, Version: 1}, true
			continue
		}
		m, errs := loadVersionList(e, p, f.limits)
		if errs != nil {
			return rf.write(e, f, &output.Result{Report: graph.ModelReport(p, flagHints(errs)), Invalid: true, Versions: [2]string{pos[0], pos[1]}})
		}
		versions[i] = m
	}
	d, err := graph.Diff(versions[0], versions[1], *rf.today, timeline.Checks)
	if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %v\n", err)
		return exitError
	}
	if !added {
		// New findings go on lines the change touched, as check --base
		// puts them.
		rep := &graph.Report{Today: *rf.today, Checks: []graph.CheckResult{{Findings: d.Findings.New}}}
		if err := rep.Place(versions[0], lineEdits(versions[1], versions[0], "", "")); err != nil {
			fmt.Fprintf(e.stderr, "blastradius: %v\n", err)
			return exitError
		}
		d.Findings.New = rep.Findings
	}
	return rf.write(e, f, &output.Result{Delta: d, FailOnIncrease: *failOn, Added: added})
}

// missingAtRevision reports whether arg is REV:PATH of a revision that
// exists and has no such file, as OLD is in the change that adds a model.
func missingAtRevision(arg string) bool {
	rev, file, ok := strings.Cut(arg, ":")
	if !ok || arg == "-" || strings.HasPrefix(arg, "-") || fileExists(arg) || rev == "" || file == "" {
		return false
	}
	if _, err := git("rev-parse", "--verify", "--quiet", rev+"^{commit}"); err != nil {
		return false
	}
	if strings.HasPrefix(file, "./") || strings.HasPrefix(file, "../") {
		return false // resolved against the current directory by parseVersion
	}
	_, err := git("cat-file", "-e", arg)
	return err != nil
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
	m, err := parseVersion(e, arg, lim)
	if err == nil {
		printWarnings(e.stderr, arg, m.Warnings)
		return m, nil
	}
	reportLoadError(e, arg, err)
	return nil, asErrorList(arg, err)
}

// asErrorList returns a load error as a list: the loader's list, each hint
// naming the flag that raises its limit, or one error for the whole file.
func asErrorList(path string, err error) model.ErrorList {
	var list model.ErrorList
	if errors.As(err, &list) {
		return flagHints(list)
	}
	return model.ErrorList{{File: path, Msg: strings.TrimPrefix(describeIOError(path, err), path+": ")}}
}

// parseVersion reads a model, with the files it includes, from a file,
// standard input ("-"), or a git revision written REV:PATH.
func parseVersion(e *env, arg string, lim model.Limits) (*model.Model, error) {
	if arg == "-" {
		_, m, err := parseSource(e, arg, lim)
		return m, err
	}
	if _, err := os.Stat(arg); err == nil || !strings.Contains(arg, ":") {
		_, m, err := parseSource(e, arg, lim)
		return m, err
	}
	if strings.HasPrefix(arg, "-") {
		return nil, fmt.Errorf("a revision cannot start with \"-\"")
	}
	rev, file, _ := strings.Cut(arg, ":")
	if strings.HasPrefix(file, "./") || strings.HasPrefix(file, "../") {
		// git reads these relative to the current directory; includes are
		// joined to the path from the top of the repository.
		if prefix, err := git("rev-parse", "--show-prefix"); err == nil {
			file = path.Join(strings.TrimSpace(string(prefix)), file)
		}
	}
	dir, base := path.Split(file)
	files := gitFiles(rev, dir, lim)
	if _, err := files.ReadFile(base); errors.Is(err, errBlobTooBig) {
		return nil, err
	} else if err != nil {
		return nil, fmt.Errorf("no such file, and git cannot show it: %s", strings.TrimPrefix(err.Error(), file+": "))
	}
	return model.LoadFiles(files, base, lim)
}

// errBlobTooBig is the error of a blob past the size limit.
var errBlobTooBig = errors.New("larger than the limit")

// gitFiles reads a model's files at a git revision, in the repository of
// the current directory, so that a version and the files it includes are
// all of the same revision. Names are paths from dir, the directory of the
// root file (from the top of the repository, ending in "/"); no file
// outside it is read; a blob past the size limit is refused before it is
// read (git cat-file -s).
func gitFiles(rev, dir string, lim model.Limits) model.Files {
	read := map[string][]byte{} // the root is read twice: once to see that it is there
	var tree []string
	return model.Files{
		ReadFile: func(name string) ([]byte, error) {
			if src, ok := read[name]; ok {
				return src, nil
			}
			src, err := git("cat-file", "-s", rev+":"+dir+name)
			if err == nil {
				most := cmp.Or(max(lim.MaxBytes, 0), model.DefaultLimits.MaxBytes)
				if n, perr := strconv.ParseInt(strings.TrimSpace(string(src)), 10, 64); perr != nil || n > most {
					return nil, fmt.Errorf("%s bytes, %w of %d bytes (split the model, or raise the limit with --max-bytes)", strings.TrimSpace(string(src)), errBlobTooBig, most)
				}
				src, err = git("cat-file", "blob", rev+":"+dir+name)
			}
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
			return names, nil
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
