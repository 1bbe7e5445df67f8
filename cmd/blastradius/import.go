package main

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
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
                               (-o DIR | --update DIR [--model ROOT])

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
closed ones are removed (or kept, and reported, while the model still names
them, in a dependency say); services, dependencies, scenarios, comments and
kinds you changed are kept. The opened and closed organisations are
reported. A model kept in several files is checked whole: the model file in
DIR or the directory above it that includes DIR's files (or the one given
with --model), and every file it includes, so that no file is left naming a
practice that is gone.

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
  --model ROOT        with --update: the root file of the model DIR's files
                      belong to (found by itself when it is in DIR or above)

Exit codes: 0 written; 2 a file could not be read or written, or has a bad
row (reported as file:line:column, with nothing written).

Examples:
  blastradius import ods --epraccur epraccur.csv --etr etr.csv --icbs icbs.csv -o icbs/
  blastradius import ods --epraccur epraccur.csv --list-sizes gp-reg-pat-prac-all.csv --update icbs/
  blastradius import ods --epraccur epraccur.csv --update models/icbs/ --model models/england.yaml
  blastradius validate icbs/*.yaml
`,
		run: runImport,
	}
}

// importFlags are the downloads import reads and where it writes.
type importFlags struct{ epraccur, etr, icbs, subICBs, sizes, out, update, model string }

func runImport(e *env, args []string) int {
	f := newFlags(importCmd(), false, false)
	var in importFlags
	f.StringVar(&in.epraccur, "epraccur", "", "")
	f.StringVar(&in.etr, "etr", "", "")
	f.StringVar(&in.icbs, "icbs", "", "")
	f.StringVar(&in.subICBs, "sub-icbs", "", "")
	f.StringVar(&in.sizes, "list-sizes", "", "")
	f.StringVar(&in.out, "o", "", "")
	f.StringVar(&in.update, "update", "", "")
	f.StringVar(&in.model, "model", "", "")
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
	case in.model != "" && in.update == "":
		return f.usageError(e, "--model names the model that --update DIR belongs to: give --update DIR too")
	}
	input, ok := readODS(e, in)
	if !ok {
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
	dir := cmp.Or(in.update, in.out)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %s\n", describeIOError(dir, err))
		return exitError
	}
	var elsewhere func(file, id string) bool
	if in.update != "" {
		var ok bool
		if elsewhere, ok = modelNames(e, in.update, in.model); !ok {
			return exitError
		}
	}
	writes, ok := importWrites(e, dir, files, in.update != "", input.Closed(), elsewhere)
	if !ok {
		return exitError
	}
	for _, w := range writes {
		if err := writeFileAtomic(w.path, w.data); err != nil {
			fmt.Fprintf(e.stderr, "blastradius: %s\n", describeIOError(w.path, err))
			return exitError
		}
		fmt.Fprint(e.stdout, w.note)
	}
	fmt.Fprintf(e.stdout, "%s written%s\n", english.Plural(len(writes), "file"), skippedText(skipped))
	return exitOK
}

// readODS reads the downloads named, in order. A file that cannot be read
// ends it there; the problems in the rows of every file are reported
// together.
func readODS(e *env, in importFlags) (ods.Input, bool) {
	var input ods.Input
	var errs model.ErrorList
	if !readODSFile(e, in.epraccur, ods.ReadPractices, &input.Practices, &errs) ||
		!readODSFile(e, in.etr, ods.ReadTrusts, &input.Trusts, &errs) ||
		!readODSFile(e, in.icbs, ods.ReadICBs, &input.ICBs, &errs) ||
		!readODSFile(e, in.subICBs, ods.ReadSubICBs, &input.SubICBs, &errs) ||
		!readODSFile(e, in.sizes, ods.ReadListSizes, &input.ListSizes, &errs) {
		return input, false
	}
	if len(errs) > 0 {
		printList(e.stderr, errs)
		return input, false
	}
	return input, true
}

// readODSFile reads the download at path, if one is named, into dst,
// adding the problems of its rows to errs. It reports a file that cannot
// be read, and returns false.
func readODSFile[T any](e *env, path string, read func(string, io.Reader) (T, error), dst *T, errs *model.ErrorList) bool {
	if path == "" {
		return true
	}
	file, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %s\n", describeIOError(path, err))
		return false
	}
	defer file.Close()
	v, err := read(path, file)
	var list model.ErrorList
	if errors.As(err, &list) {
		*errs = append(*errs, list...)
	} else if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %s\n", describeIOError(path, err))
		return false
	}
	*dst = v
	return true
}

// importWrite is a file that import writes, and the line it prints for it.
type importWrite struct {
	path string
	data []byte
	note string
}

// importWrites works out every file to write before anything is written:
// a new file, or with update an existing one refreshed (an existing file
// without update is an error).
func importWrites(e *env, dir string, files []ods.File, update bool, closed map[string]bool, elsewhere func(file, id string) bool) ([]importWrite, bool) {
	var writes []importWrite
	for _, file := range files {
		path := filepath.Join(dir, file.Name)
		old, err := os.ReadFile(path)
		switch {
		case err == nil && !update:
			fmt.Fprintf(e.stderr, "blastradius: %s exists (refresh it with --update %s)\n", path, dir)
			return nil, false
		case err == nil:
			var named func(string) bool
			if elsewhere != nil {
				named = func(id string) bool { return elsewhere(path, id) }
			}
			data, ch, err := ods.Update(path, old, file, closed, named)
			if err != nil {
				reportLoadError(e, path, err)
				return nil, false
			}
			writes = append(writes, importWrite{path, data, ch.Summary(path)})
		case errors.Is(err, os.ErrNotExist):
			writes = append(writes, importWrite{path, file.Data, fmt.Sprintf("%s: %s\n", path, english.Plural(len(file.Orgs), "organisation"))})
		default:
			fmt.Fprintf(e.stderr, "blastradius: %s\n", describeIOError(path, err))
			return nil, false
		}
	}
	return writes, true
}

// skippedText says which rows became no organisation ("; skipped 3 closed,
// 1 dormant"), or is empty when none.
func skippedText(s ods.Skipped) string {
	var skip []string
	for _, r := range []struct {
		n    int
		what string
	}{{s.Closed, "closed"}, {s.Dormant, "dormant"}, {s.Proposed, "proposed"}, {s.NotGP, "not GP practices"}, {s.NoICB, "with no ICB"}} {
		if r.n > 0 {
			skip = append(skip, english.Commas(r.n)+" "+r.what)
		}
	}
	if len(skip) == 0 {
		return ""
	}
	return "; skipped " + strings.Join(skip, ", ")
}

// modelNames finds the model the files of dir belong to, so that an update
// removes no organisation another of its files still names: the root given
// with --model, or else a model file in dir or the directory above it that
// includes a file of dir. It says which model it checked against, and
// returns, for a file of dir, whether some other file of the model names
// an id. Without a model, the other files of dir are checked.
func modelNames(e *env, dir, root string) (func(file, id string) bool, bool) {
	inDir := func(f string) bool { return filepath.Clean(filepath.Dir(f)) == filepath.Clean(dir) }
	var files []string
	if root != "" {
		m, err := model.Load(root)
		if err != nil {
			reportLoadError(e, root, err)
			return nil, false
		}
		files = m.Files
	} else {
		var candidates []string
		for _, d := range []string{dir, filepath.Dir(filepath.Clean(dir))} {
			found, _ := filepath.Glob(filepath.Join(d, "*.yaml"))
			candidates = append(candidates, found...)
		}
		for _, c := range candidates {
			src, err := os.ReadFile(c)
			if err != nil || !bytes.Contains(src, []byte("include")) {
				continue
			}
			m, err := model.Load(c)
			if err != nil {
				continue
			}
			if slices.ContainsFunc(m.Files[1:], inDir) {
				root, files = c, m.Files
				break
			}
		}
	}
	if root == "" {
		files, _ = filepath.Glob(filepath.Join(dir, "*.yaml"))
		fmt.Fprintf(e.stdout, "No model file in %s or above it includes these files: checked names across %s only (give --model ROOT to check a whole model).\n", dir, english.Plural(len(files), "file"))
	} else {
		fmt.Fprintf(e.stdout, "Checked names across the model %s (%s).\n", root, english.Plural(len(files), "file"))
	}
	names := map[string]map[string]bool{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		names[filepath.Clean(f)] = map[string]bool{}
		ods.Names(src, names[filepath.Clean(f)])
	}
	return func(file, id string) bool {
		for f, ns := range names {
			if f != filepath.Clean(file) && ns[id] {
				return true
			}
		}
		return false
	}, true
}
