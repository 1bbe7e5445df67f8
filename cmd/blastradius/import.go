package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/internal/ods"
	"github.com/blastradius/blastradius/model"
)

func importCmd() *command {
	return &command{
		name:    "import",
		summary: "write model files from NHS Organisation Data Service downloads",
		usage: `Usage: blastradius import ods --epraccur FILE [--etr FILE] [--icbs FILE]
                               [--sub-icbs FILE] [--list-sizes FILE]
                               (-o DIR | --update DIR)

Reads the CSV downloads of the NHS Organisation Data Service (ODS) and writes
one model file per integrated care board (ICB) into DIR, named after the ICB's
code (qkk.yaml). Each file holds the ICB, its NHS trusts and its GP practices,
with ids made from ODS codes in lower case (G85001 becomes g85001), names,
kinds, ods and icb, and the number of registered patients where a list-size
file is given. Closed, dormant and proposed organisations, and prescribing
cost centres that are not GP practices, are skipped and counted. Services and
dependencies are yours to add: no public dataset describes them.

With --update DIR, files already in DIR are rewritten in place: organisations
ODS knows get their current name, ICB and list size; new ones are added;
closed ones are removed (or kept, and reported, while the file still names
them in a dependency); services, dependencies, scenarios, comments and kinds
you changed are kept. The opened and closed organisations are reported.

Where to download each file: see docs/authoring.md.

Flags:
  --epraccur FILE     GP practices (epraccur.csv: 27 columns, no header row)
  --etr FILE          NHS trusts (etr.csv: ODS standard layout, no header row)
  --icbs FILE         ICBs: code in column 1, name in column 2 (names the files)
  --sub-icbs FILE     sub-ICB locations (eccg.csv): places a practice whose row
                      has no ICB code through its commissioner (column 15)
  --list-sizes FILE   patients registered at each practice
                      (gp-reg-pat-prac-all.csv, with its header row)
  -o DIR              write new files into DIR (made if missing); an existing
                      file is an error: use --update
  --update DIR        rewrite the files in DIR, keeping what was written by hand

Exit codes: 0 written; 2 a file could not be read or written, or has a bad
row (reported as file:line:column, with nothing written).

Examples:
  blastradius import ods --epraccur epraccur.csv --etr etr.csv --icbs icbs.csv -o icbs/
  blastradius import ods --epraccur epraccur.csv --list-sizes gp-reg-pat-prac-all.csv --update icbs/
  blastradius validate icbs/*.yaml
`,
		run: runImport,
	}
}

func runImport(e *env, args []string) int {
	f := newFlags(importCmd(), false, false)
	var in struct{ epraccur, etr, icbs, subICBs, sizes, out, update string }
	f.StringVar(&in.epraccur, "epraccur", "", "")
	f.StringVar(&in.etr, "etr", "", "")
	f.StringVar(&in.icbs, "icbs", "", "")
	f.StringVar(&in.subICBs, "sub-icbs", "", "")
	f.StringVar(&in.sizes, "list-sizes", "", "")
	f.StringVar(&in.out, "o", "", "")
	f.StringVar(&in.update, "update", "", "")
	pos, code, ok := f.parse(e, args)
	if !ok {
		return code
	}
	switch {
	case len(pos) == 0:
		return f.usageError(e, "name the source: blastradius import ods ...")
	case pos[0] != "ods":
		return f.usageError(e, "unknown source %q: the one source is ods", pos[0])
	case len(pos) > 1:
		return f.usageError(e, "unexpected argument %q", pos[1])
	case in.epraccur == "" && in.etr == "":
		return f.usageError(e, "give --epraccur FILE, --etr FILE or both")
	case (in.out == "") == (in.update == ""):
		return f.usageError(e, "give one of -o DIR (new files) and --update DIR (refresh files)")
	}
	var input ods.Input
	var errs model.ErrorList
	read := func(path string, fn func(string, io.Reader) ([]ods.Org, error), dst *[]ods.Org) bool {
		if path == "" {
			return true
		}
		file, err := os.Open(path)
		if err != nil {
			fmt.Fprintf(e.stderr, "blastradius: %s\n", describeIOError(path, err))
			return false
		}
		defer file.Close()
		orgs, err := fn(path, file)
		var list model.ErrorList
		if errors.As(err, &list) {
			errs = append(errs, list...)
		} else if err != nil {
			fmt.Fprintf(e.stderr, "blastradius: %s\n", describeIOError(path, err))
			return false
		}
		*dst = orgs
		return true
	}
	if !read(in.epraccur, ods.ReadPractices, &input.Practices) || !read(in.etr, ods.ReadTrusts, &input.Trusts) ||
		!read(in.icbs, ods.ReadICBs, &input.ICBs) || !read(in.subICBs, ods.ReadSubICBs, &input.SubICBs) {
		return exitError
	}
	if in.sizes != "" {
		file, err := os.Open(in.sizes)
		if err != nil {
			fmt.Fprintf(e.stderr, "blastradius: %s\n", describeIOError(in.sizes, err))
			return exitError
		}
		input.ListSizes, err = ods.ReadListSizes(in.sizes, file)
		file.Close()
		var list model.ErrorList
		if errors.As(err, &list) {
			errs = append(errs, list...)
		} else if err != nil {
			fmt.Fprintf(e.stderr, "blastradius: %s\n", describeIOError(in.sizes, err))
			return exitError
		}
	}
	if len(errs) > 0 {
		printList(e.stderr, errs)
		return exitError
	}
	for _, list := range [][]ods.Org{input.Practices, input.Trusts, input.ICBs, input.SubICBs} {
		for _, o := range list {
			if o.Cleaned != "" {
				w := &model.Error{File: o.File, Pos: model.Pos{Line: o.Line, Column: o.NameCol}, Severity: model.SevWarning,
					Msg: fmt.Sprintf("the name of %s held %s, which changes how text is shown; imported as %q", o.Code, o.Cleaned, o.Name)}
				fmt.Fprintln(e.stderr, w)
			}
		}
	}
	files, skipped, err := ods.Build(input)
	if err != nil {
		reportLoadError(e, "", err)
		return exitError
	}
	dir := in.out
	if in.update != "" {
		dir = in.update
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %s\n", describeIOError(dir, err))
		return exitError
	}
	// Everything is computed before anything is written.
	type write struct {
		path string
		data []byte
		note string
	}
	var writes []write
	closed := input.Closed()
	for _, file := range files {
		path := filepath.Join(dir, file.Name)
		old, err := os.ReadFile(path)
		switch {
		case err == nil && in.update == "":
			fmt.Fprintf(e.stderr, "blastradius: %s exists (refresh it with --update %s)\n", path, dir)
			return exitError
		case err == nil:
			data, ch, err := ods.Update(path, old, file, closed)
			if err != nil {
				reportLoadError(e, path, err)
				return exitError
			}
			writes = append(writes, write{path, data, ch.Summary(path)})
		case errors.Is(err, os.ErrNotExist):
			writes = append(writes, write{path, file.Data, fmt.Sprintf("%s: %s\n", path, english.Plural(len(file.Orgs), "organisation"))})
		default:
			fmt.Fprintf(e.stderr, "blastradius: %s\n", describeIOError(path, err))
			return exitError
		}
	}
	for _, w := range writes {
		if err := writeFileAtomic(w.path, w.data); err != nil {
			fmt.Fprintf(e.stderr, "blastradius: %s\n", describeIOError(w.path, err))
			return exitError
		}
		fmt.Fprint(e.stdout, w.note)
	}
	var skip []string
	for _, s := range []struct {
		n    int
		what string
	}{{skipped.Closed, "closed"}, {skipped.Dormant, "dormant"}, {skipped.Proposed, "proposed"}, {skipped.NotGP, "not GP practices"}, {skipped.NoICB, "with no ICB"}} {
		if s.n > 0 {
			skip = append(skip, english.Commas(s.n)+" "+s.what)
		}
	}
	fmt.Fprintf(e.stdout, "%s written", english.Plural(len(writes), "file"))
	if len(skip) > 0 {
		fmt.Fprintf(e.stdout, "; skipped %s", strings.Join(skip, ", "))
	}
	fmt.Fprintln(e.stdout)
	return exitOK
}
