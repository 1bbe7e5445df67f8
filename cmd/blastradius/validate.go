package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/model"
)

func validateCmd() *command {
	return &command{
		name:    "validate",
		summary: "check model files and report every problem with its position",
		usage: `Usage: blastradius validate [flags] MODEL...

Checks each model file and prints every problem as file:line:column: message
(hint) on standard error, in file order. Valid files are listed on standard
output. "-" reads a model from standard input.

Flags:
  --format text|json   how to print the result (default text)
  --strict             treat warnings as problems (exit 1)
  --max-bytes N        refuse a file larger than N bytes (default 268435456)
  --max-model-nodes N  refuse more organisations and services (default 1000000)
  --max-dependencies N refuse more dependencies (default 5000000)
  --max-depth N        refuse YAML nested deeper (default 64)
  --max-id-length N    refuse longer ids (default 128)
  --max-string-length N  refuse longer names and notes (default 65536)
  --max-alias-nodes N  refuse YAML whose aliases expand by more nodes (default 100000)
  --max-files N        refuse a model of more files, with those it includes (default 10000)
  Every command that reads a model takes these limits.

Exit codes: 0 every file is valid; 1 a file is invalid; 2 a file could not be read.

Examples:
  blastradius validate examples/*.yaml
  blastradius validate --strict --format json models/sel.yaml
  cat model.yaml | blastradius validate -
`,
		run: runValidate,
	}
}

type validateResult struct {
	File          string      `json:"file"`
	Valid         bool        `json:"valid"`
	Organisations int         `json:"organisations"`
	Services      int         `json:"services"`
	Dependencies  int         `json:"dependencies"`
	Scenarios     int         `json:"scenarios"`
	Problems      []jsonError `json:"problems"`
	Unreadable    string      `json:"unreadable,omitempty"`
	// IncludedBy is the file given that includes this one, which checked
	// it as part of its model.
	IncludedBy string `json:"included_by,omitempty"`
}

// includingModel finds a model file in the directory of path, or the one
// above it, that includes path, and returns it loaded.
func includingModel(e *env, path string, lim model.Limits) (root string, m *model.Model, err error, ok bool) {
	dir := filepath.Dir(filepath.Clean(path))
	for _, d := range []string{dir, filepath.Dir(dir)} {
		candidates, _ := filepath.Glob(filepath.Join(d, "*.yaml"))
		for _, c := range candidates {
			if filepath.Clean(c) == filepath.Clean(path) {
				continue
			}
			src, rerr := os.ReadFile(c)
			if rerr != nil || !bytes.Contains(src, []byte("include")) {
				continue
			}
			name, cm, cerr := parseSource(e, c, lim)
			var named []string
			var list model.ErrorList
			switch {
			case cerr == nil:
				named = cm.Files
			case errors.As(cerr, &list):
				for _, le := range list {
					named = append(named, le.File)
				}
			}
			for _, n := range named {
				if filepath.Clean(n) == filepath.Clean(path) {
					return name, cm, cerr, true
				}
			}
		}
	}
	return "", nil, nil, false
}

type jsonError struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Hint     string `json:"hint,omitempty"`
}

func toJSONErrors(list model.ErrorList) []jsonError {
	out := make([]jsonError, 0, len(list))
	for _, e := range list {
		sev := "error"
		if e.Severity == model.SevWarning {
			sev = "warning"
		}
		out = append(out, jsonError{File: e.File, Line: e.Pos.Line, Column: e.Pos.Column, Severity: sev, Message: e.Msg, Hint: flagHint(e)})
	}
	return out
}

func runValidate(e *env, args []string) int {
	f := newFlags(validateCmd(), true, false)
	format := f.word("format", "text", "text", "json")
	strict := f.Bool("strict", false, "")
	files, code, ok := f.parse(e, args)
	if !ok {
		return code
	}
	if len(files) == 0 {
		return f.usageError(e, "name at least one model file")
	}
	code = exitOK
	var results []validateResult
	var out bytes.Buffer
	// A file that another file given includes is checked as part of it,
	// not as a model of its own: "validate models/*.yaml" checks each
	// model once, with the files it includes.
	type parsed struct {
		name string
		m    *model.Model
		err  error
	}
	all := make([]parsed, len(files))
	includedBy := map[string]string{}
	for i, path := range files {
		name, m, err := parseSource(e, path, f.limits)
		all[i] = parsed{name, m, err}
		var list model.ErrorList
		var named []string
		switch {
		case err == nil:
			named = m.Files
		case errors.As(err, &list):
			for _, le := range list {
				named = append(named, le.File)
			}
		}
		for _, n := range named {
			if c := filepath.Clean(n); c != filepath.Clean(name) && includedBy[c] == "" {
				includedBy[c] = name
			}
		}
	}
	for i, path := range files {
		name, m, err := all[i].name, all[i].m, all[i].err
		r := validateResult{File: name, Problems: []jsonError{}}
		if err != nil && path != "-" && includedBy[filepath.Clean(name)] == "" {
			// Not a model alone: if a model beside it or above it includes
			// it, that model is what to check.
			if root, rm, rerr, ok := includingModel(e, path, f.limits); ok {
				r.IncludedBy, name, m, err = root, root, rm, rerr
				if *format == "text" {
					fmt.Fprintf(&out, "%s: included by %s, which is checked instead:\n", r.File, root)
				}
			}
		}
		if root := includedBy[filepath.Clean(name)]; root != "" && path != "-" {
			r.IncludedBy, r.Valid = root, true
			if *format == "text" {
				fmt.Fprintf(&out, "%s: included by %s, checked with it\n", name, root)
			}
			results = append(results, r)
			continue
		}
		var list model.ErrorList
		switch {
		case err == nil:
			r.Valid = true
			r.Organisations, r.Services, r.Dependencies, r.Scenarios = len(m.Organisations), len(m.Services), len(m.Dependencies), len(m.Scenarios)
			r.Problems = toJSONErrors(m.Warnings)
			list = m.Warnings
			if *strict && len(m.Warnings) > 0 {
				r.Valid = false
				code = max(code, exitProblem)
			}
		case errors.As(err, &list):
			r.Problems = toJSONErrors(list)
			code = max(code, exitProblem)
		default:
			r.Unreadable = describeIOError(path, err)
			code = exitError
		}
		if *format == "text" {
			if r.Unreadable != "" {
				fmt.Fprintf(e.stderr, "blastradius: %s\n", r.Unreadable)
			}
			printList(e.stderr, list)
			switch {
			case err == nil:
				status := "ok"
				if !r.Valid {
					status = "invalid under --strict"
				}
				fmt.Fprintf(&out, "%s: %s (%s, %s, %s", name, status, english.Plural(r.Organisations, "organisation"), english.Plural(r.Services, "service"), english.Plural(r.Dependencies, "dependency"))
				if r.Scenarios > 0 {
					fmt.Fprintf(&out, ", %s", english.Plural(r.Scenarios, "scenario"))
				}
				if len(m.Files) > 1 {
					fmt.Fprintf(&out, ", in %s", english.Plural(len(m.Files), "file"))
				}
				if n := len(m.Warnings); n > 0 {
					fmt.Fprintf(&out, ", %s", english.Plural(n, "warning"))
				}
				out.WriteString(")\n")
			}
		}
		results = append(results, r)
	}
	if *format == "json" {
		if err := writeJSON(&out, map[string]any{"files": results}); err != nil {
			fmt.Fprintf(e.stderr, "blastradius: %v\n", err)
			return exitError
		}
	}
	return emit(e, "", out.Bytes(), code)
}
