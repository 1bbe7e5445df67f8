package main

import (
	"bytes"
	"fmt"

	"github.com/blastradius/blastradius/model"
)

func fmtCmd() *command {
	return &command{
		name:    "fmt",
		summary: "rewrite model files in the canonical layout",
		usage: `Usage: blastradius fmt [--check] FILE...

Rewrites model files, and scenarios files, in the canonical layout, in place:
sections in the documented order (version, name, description, x- keys,
organisations, services, dependencies, scenarios, policies); the keys of
every entry in the documented order; lists of ids and words as [a, b]; a
dependency or an exception written as a block becomes one line,
{from: a, to: b, type: service}, when it holds no comment and fits in 120
columns. Comments are kept, folded and literal text is kept as written, and
blank lines between entries are kept (one at most); lines end with LF.
Running fmt twice changes nothing the second time, and the file reads to the
same model.

"-" reads standard input and writes the result to standard output.

Flags:
  --check   change nothing: list the files that fmt would change, and exit 1
            if there are any (for CI)

Exit codes: 0 formatted (or, with --check, nothing to change); 1 with
--check, a file would change; 2 a file could not be read or written.

Examples:
  blastradius fmt icb.yaml
  blastradius fmt --check examples/*.yaml examples/policies/*.yaml
  cat icb.yaml | blastradius fmt -
`,
		run: runFmt,
	}
}

func runFmt(e *env, args []string) int {
	f := newFlags(fmtCmd(), true, false)
	check := f.Bool("check", false, "")
	files, code, ok := f.parse(e, args)
	if !ok {
		return code
	}
	if len(files) == 0 {
		return f.usageError(e, "name at least one model file")
	}
	result := exitOK
	for _, path := range files {
		name, src, err := readSource(e, path, f.limits)
		if err != nil {
			reportLoadError(e, path, err)
			result = exitError
			continue
		}
		out, err := model.Format(name, src)
		if err != nil {
			reportLoadError(e, path, err)
			result = exitError
			continue
		}
		switch {
		case path == "-" && !*check:
			if c := emit(e, "", out, exitOK); c != exitOK {
				result = c
			}
		case bytes.Equal(out, src):
		case *check:
			fmt.Fprintln(e.stdout, path)
			if result == exitOK {
				result = exitProblem
			}
		default:
			if err := writeFileAtomic(path, out); err != nil {
				fmt.Fprintf(e.stderr, "blastradius: %s\n", describeIOError(path, err))
				result = exitError
			}
		}
	}
	return result
}
