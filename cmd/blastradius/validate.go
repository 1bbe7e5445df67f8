package main

import (
	"bytes"
	"errors"
	"fmt"

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
	for _, path := range files {
		r := validateResult{File: path, Problems: []jsonError{}}
		name, m, err := parseSource(e, path, f.limits)
		r.File = name
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
			if err == nil {
				status := "ok"
				if !r.Valid {
					status = "invalid under --strict"
				}
				fmt.Fprintf(&out, "%s: %s (%s, %s, %s", r.File, status, english.Plural(r.Organisations, "organisation"), english.Plural(r.Services, "service"), english.Plural(r.Dependencies, "dependency"))
				if r.Scenarios > 0 {
					fmt.Fprintf(&out, ", %s", english.Plural(r.Scenarios, "scenario"))
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
