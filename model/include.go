package model

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/blastradius/blastradius/internal/textsafe"
)

// Files is where a model's files are read from: the disk (Load), a git
// revision, or any io/fs.FS (FSFiles). Names are slash-separated paths;
// an include is joined to the directory of the file that names it with
// path.Join, so "icbs/nel.yaml" in "models/england.yaml" is
// "models/icbs/nel.yaml".
type Files struct {
	// ReadFile returns the content of the named file. An error that wraps
	// fs.ErrNotExist means there is no such file; an ErrorList (a file past
	// the size limit) is reported as it is.
	ReadFile func(name string) ([]byte, error)
	// Glob returns the names of the files that match pattern, in the
	// syntax of path.Match, sorted.
	Glob func(pattern string) ([]string, error)
	// Prefix is written before every name in positions: "HEAD~1:" for
	// the files of a git revision.
	Prefix string
	// Top, if set, names what no include may climb above with "../",
	// such as "the directory of the model's root file".
	Top string
}

// rootFiles reads a model's files from the directory of root and below,
// each within the size limit: os.Root refuses a name that leaves it, by
// "../" or through a symbolic link.
func rootFiles(root *os.Root, lim Limits) Files {
	return Files{
		ReadFile: func(name string) ([]byte, error) {
			// Stat first: opening a FIFO blocks until something writes to it.
			st, err := root.Stat(name)
			switch {
			case err != nil:
				return nil, err
			case st.IsDir():
				return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
			case !st.Mode().IsRegular():
				// A FIFO or a device would block the read, or never end.
				return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is not a regular file")}
			}
			f, err := root.Open(name)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			if st, err = f.Stat(); err != nil {
				return nil, err
			}
			return readLimited(name, f, st, lim)
		},
		Glob: func(pattern string) ([]string, error) { return fs.Glob(root.FS(), pattern) },
	}
}

// FSFiles reads a model's files from fsys, whose names follow the rules of
// io/fs: no include may climb above its root.
func FSFiles(fsys fs.FS) Files {
	return Files{
		ReadFile: func(name string) ([]byte, error) { return fs.ReadFile(fsys, name) },
		Glob:     func(pattern string) ([]string, error) { return fs.Glob(fsys, pattern) },
		Top:      "the root of the files",
	}
}

// LoadFiles reads the model file name from files, with every file it
// includes, and merges them into one model. A failure to read the named file
// itself is returned as it is (an error wrapping fs.ErrNotExist, say);
// every problem in the files as an ErrorList, in file order.
func LoadFiles(files Files, name string, lim Limits) (*Model, error) {
	src, err := files.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return newLoader(files, lim).load(name, src)
}

// loadDir reads the model file at p from the disk with the files it
// includes, all of them in the directory of p or below it.
func loadDir(p string, lim Limits) (*Model, error) {
	dir, base := filepath.Split(p)
	root, err := os.OpenRoot(cmp.Or(dir, "."))
	if err != nil {
		return nil, err
	}
	defer root.Close()
	files := rootFiles(root, lim)
	files.Prefix = filepath.ToSlash(dir)
	files.Top = "the directory of the model's root file"
	if dir != "" && filepath.Clean(dir) != "." {
		files.Top += ", " + filepath.ToSlash(dir)
	}
	src, err := ReadFile(p, lim) // the file named: it may be a link to elsewhere
	if err != nil {
		return nil, err
	}
	l := newLoader(files, lim)
	l.rootName, l.rootBase = p, base
	return l.load(base, src)
}

// loader reads a root file and the files it includes, depth first: a file's
// own entries come before those of the files it includes, which come in the
// order of its include list (a glob's matches in lexical order).
type loader struct {
	files  Files
	lim    Limits
	errs   ErrorList
	frags  []*Model        // one for each file, in the order merged
	seen   map[string]bool // files read, by cleaned name
	stack  []string        // the chain of includes being read
	bytes  int64
	broken bool // a file could not be read or parsed: leave references unchecked
	// rootName, if set, is how positions name the root file: as the user
	// wrote it ("./model.yaml"), not as files.Prefix and its name give it.
	rootName, rootBase string
	slow               bool // read every file with yaml.v3 alone (tests compare the readers)
}

func newLoader(files Files, lim Limits) *loader {
	return &loader{files: files, lim: lim.withDefaults(), seen: map[string]bool{}}
}

func (l *loader) load(name string, src []byte) (*Model, error) {
	l.bytes = int64(len(src))
	if !l.read(name, src, true) {
		l.errs.Sort()
		return nil, l.errs.Err()
	}
	p := newParser(l.display(name), l.lim)
	m := l.merge(p)
	if !l.broken {
		checkModel(m, p)
	}
	l.errs = append(l.errs, p.errs...)
	l.errs.Sort()
	if err := l.errs.Err(); err != nil {
		return nil, err
	}
	m.Warnings = l.errs.Warnings()
	return m, nil
}

func (l *loader) display(name string) string {
	if l.rootName != "" && path.Clean(name) == path.Clean(l.rootBase) {
		return l.rootName
	}
	return l.files.Prefix + name
}

// read parses one file and the files it includes. It reports whether the
// file held a model at all.
func (l *loader) read(name string, src []byte, top bool) bool {
	key := path.Clean(filepath.ToSlash(name))
	l.seen[key] = true
	l.stack = append(l.stack, key)
	defer func() { l.stack = l.stack[:len(l.stack)-1] }()
	p, root, m := l.parse(name, src, top, l.slow)
	if p.fast != nil && p.fast.declined {
		// An item the fast reader does not read: the whole file again.
		p, root, m = l.parse(name, src, top, true)
	}
	if root == nil {
		l.errs = append(l.errs, p.errs...)
		l.broken = true
		return false
	}
	l.errs = append(l.errs, p.errs...)
	l.frags = append(l.frags, m)
	for _, inc := range p.includes {
		if !l.include(p.file, key, inc) {
			break
		}
	}
	return true
}

// parse parses one file's own content; slow leaves the fast reader out.
func (l *loader) parse(name string, src []byte, top, slow bool) (*parser, *yaml.Node, *Model) {
	p := newParser(l.display(name), l.lim)
	p.lazyTop, p.slow = true, slow
	root := p.document(src, l.lim)
	if root == nil {
		return p, nil, nil
	}
	return p, root, p.model(root, top)
}

// include reads the files that one entry of an include list names. It
// returns false once a limit is reached: reading on would only repeat it.
func (l *loader) include(file, from string, inc Ref) bool {
	s := inc.Value
	fail := func(lim, msg, hint string) {
		l.errs = append(l.errs, &Error{File: file, Pos: inc.Pos, Msg: msg, Hint: hint, Limit: lim})
		l.broken = true
	}
	names, msg, hint := l.includeNames(from, s)
	if msg != "" {
		fail("", msg, hint)
		return true
	}
	for _, n := range names {
		key := path.Clean(n)
		if msg, hint := l.cycle(s, key); msg != "" {
			fail("", msg, hint)
			continue
		}
		if l.seen[key] {
			continue // included from more than one place: read once, where first included
		}
		if len(l.seen) >= l.lim.MaxFiles {
			fail("MaxFiles", fmt.Sprintf("the model's files are more than the limit of %d", l.lim.MaxFiles),
				"check for includes that repeat a directory, or raise the limit")
			return false
		}
		src, err := l.files.ReadFile(n)
		if err != nil {
			for _, e := range l.readError(s, n, from, err) {
				fail(e.Limit, e.Msg, e.Hint)
			}
			continue
		}
		l.bytes += int64(len(src))
		if l.bytes > l.lim.MaxBytes {
			fail("MaxBytes", fmt.Sprintf("the model's files come to over %d bytes, past the limit of %d", l.bytes, l.lim.MaxBytes),
				"raise the limit")
			return false
		}
		l.read(n, src, false)
	}
	return true
}

// includeNames is the files that the include path s, written in from,
// names: one, or those its pattern matches, in order. A path that names
// none, or is not allowed, gives the message and hint that say why.
func (l *loader) includeNames(from, s string) (names []string, msg, hint string) {
	switch {
	case l.files.ReadFile == nil:
		return nil, fmt.Sprintf("include %q: this model was not read from a file, so it cannot include others", s),
			"load the model from its file: includes are read relative to it"
	case unsafeName(s) != "":
		return nil, fmt.Sprintf("include path %q holds the character %s", s, unsafeName(s)),
			"a file name with a control character or a newline could forge lines in a terminal or a CI log: rename the file"
	case strings.TrimSpace(s) == "":
		return nil, "include path is empty", "write the path of a model file relative to this one, such as icbs/nel.yaml"
	case strings.Contains(s, `\`):
		return nil, fmt.Sprintf(`include path %q uses "\"`, s), `write "/" between directories, on every system`
	case path.IsAbs(s) || filepath.IsAbs(s) || len(s) >= 2 && s[1] == ':':
		return nil, fmt.Sprintf("include path %q is absolute", s),
			"write it relative to this file, such as icbs/nel.yaml, so that the model reads the same wherever it is checked out"
	}
	target := path.Join(path.Dir(from), s)
	if l.files.Top != "" && (target == ".." || strings.HasPrefix(target, "../")) {
		return nil, fmt.Sprintf("include path %q climbs above %s", s, l.files.Top),
			"a model's files must all be within it; check the number of \"../\""
	}
	if !strings.ContainsAny(s, "*?[") {
		return []string{target}, "", ""
	}
	matches, err := l.files.Glob(target)
	switch {
	case err != nil && errors.Is(err, path.ErrBadPattern) || errors.Is(err, filepath.ErrBadPattern):
		return nil, fmt.Sprintf("include pattern %q is malformed", s), "a pattern uses * for any name, ? for one character and [a-z] for a range"
	case err != nil:
		return nil, fmt.Sprintf("include pattern %q: %v", s, err), "check the directory it names"
	case len(matches) == 0:
		return nil, fmt.Sprintf("include pattern %q matches no file", s),
			fmt.Sprintf("it is read as %s, relative to this file; check the directory and the pattern", l.display(target))
	}
	for _, n := range matches {
		if c := unsafeName(n); c != "" {
			return nil, fmt.Sprintf("include pattern %q matches the file %s, whose name holds the character %s", s, strconv.Quote(n), c),
				"a file name with a control character or a newline could forge lines in a terminal or a CI log: rename the file, or narrow the pattern"
		}
	}
	names = slices.Clone(matches)
	slices.SortFunc(names, func(a, b string) int { // as filepath.Glob, whatever Files does
		return slices.Compare(strings.Split(a, "/"), strings.Split(b, "/"))
	})
	return names, "", ""
}

// unsafeName names the first character of a file name that changes how
// the text around it is shown (newline and tab included), or is "".
func unsafeName(name string) string {
	if i, r := textsafe.Find(name, false); i >= 0 {
		return textsafe.Name(r)
	}
	return ""
}

// cycle says, when the file key is already being read (the file itself,
// or one that includes it), why include s cannot read it.
func (l *loader) cycle(s, key string) (msg, hint string) {
	i := slices.Index(l.stack, key)
	switch {
	case i < 0:
		return "", ""
	case i == len(l.stack)-1:
		return fmt.Sprintf("include %q names this file itself", s),
			"a file cannot include itself; a glob such as *.yaml matches the including file too: keep the included files in a directory of their own"
	}
	chain := make([]string, 0, len(l.stack)-i+1)
	for _, k := range l.stack[i:] {
		chain = append(chain, l.display(k))
	}
	chain = append(chain, l.display(key))
	return fmt.Sprintf("include %q makes a cycle: %s", s, strings.Join(chain, " → ")),
		"a file cannot include itself through others; move what they share into a file that each includes"
}

// readError is what include s, written in from, reports when the file n
// it names cannot be read: each of the reader's own errors (a file past a
// limit), or one that says why.
func (l *loader) readError(s, n, from string, err error) ErrorList {
	var list ErrorList
	switch {
	case errors.As(err, &list):
		out := make(ErrorList, len(list))
		for i, e := range list {
			hint := "name a model file that can be read"
			if e.Limit == "MaxBytes" {
				hint = "split it, or raise the limit"
			}
			out[i] = &Error{Msg: fmt.Sprintf("include %q: %s: %s", s, l.display(n), e.Msg), Hint: hint, Limit: e.Limit}
		}
		return out
	case errors.Is(err, fs.ErrNotExist):
		return ErrorList{{Msg: fmt.Sprintf("include %q: no such file %s", s, l.display(n)), Hint: l.nearby(s, n, from)}}
	case strings.Contains(err.Error(), "escapes from parent"):
		return ErrorList{{Msg: fmt.Sprintf("include %q: %s is a link that leads out of %s", s, l.display(n), cmp.Or(l.files.Top, "the model's files")),
			Hint: "a model's files must all be within it: copy the file in, or name a root file higher up"}}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return ErrorList{{Msg: fmt.Sprintf("include %q: cannot read %s: %v", s, l.display(n), err), Hint: "name a model file that can be read"}}
}

// nearby suggests, for an include path s that names no file, a file next
// to the one it names whose name is close, written as s would be.
func (l *loader) nearby(s, name, from string) string {
	const fallback = "include paths are relative to the file that names them"
	if l.files.Glob == nil {
		return fallback
	}
	siblings, err := l.files.Glob(path.Join(path.Dir(name), "*"))
	if err != nil {
		return fallback
	}
	var bases []string
	for _, n := range siblings {
		if path.Clean(n) != from {
			bases = append(bases, path.Base(n))
		}
	}
	if b := suggest(path.Base(name), bases); b != "" {
		return fmt.Sprintf("did you mean %q?", path.Join(path.Dir(s), b))
	}
	return fallback
}

// merge joins the files' entries, the root's version, name and description,
// and the one file's policies.
func (l *loader) merge(p *parser) *Model {
	root := l.frags[0]
	if len(l.frags) == 1 {
		root.Files = []string{root.File}
		return root
	}
	m := &Model{File: root.File, Version: root.Version, Name: root.Name, Description: root.Description}
	for _, f := range l.frags {
		m.Files = append(m.Files, f.File)
		m.Organisations = append(m.Organisations, f.Organisations...)
		m.Services = append(m.Services, f.Services...)
		m.Dependencies = append(m.Dependencies, f.Dependencies...)
		m.Scenarios = append(m.Scenarios, f.Scenarios...)
		if f.Policies == nil {
			continue
		}
		if first := m.Policies; first != nil {
			p.addIn(f.File, SevError, f.Policies.Pos, "a second file holds policies",
				fmt.Sprintf("first at %s; keep a model's policies in one file", first.Pos))
			continue
		}
		m.Policies = f.Policies
	}
	if n := len(m.Organisations) + len(m.Services); n > l.lim.MaxNodes {
		p.limit("MaxNodes", Pos{Line: 1, Column: 1}, fmt.Sprintf("the model's files hold %d organisations and services, over the limit of %d", n, l.lim.MaxNodes),
			"raise the limit")
		l.broken = true
	}
	if n := len(m.Dependencies); n > l.lim.MaxDependencies {
		p.limit("MaxDependencies", Pos{Line: 1, Column: 1}, fmt.Sprintf("the model's files hold %d dependencies, over the limit of %d", n, l.lim.MaxDependencies),
			"raise the limit")
		l.broken = true
	}
	return m
}
