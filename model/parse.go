package model

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/blastradius/blastradius/internal/textsafe"
)

// Parse reads a model from src. name is used in positions ("sel.yaml:41:11").
// On failure the error is an ErrorList holding every problem in file order;
// warnings of a valid model are in its Warnings.
func Parse(name string, src []byte) (*Model, error) { return ParseWith(name, src, Limits{}) }

// ParseWith is Parse with limits other than DefaultLimits. A model parsed
// from memory cannot include other files: "include" is an error; LoadFiles
// reads a model whose files are elsewhere.
func ParseWith(name string, src []byte, lim Limits) (*Model, error) {
	return newLoader(Files{}, lim).load(name, src)
}

// Load reads the model file at path, with the files it includes.
func Load(path string) (*Model, error) { return LoadWith(path, Limits{}) }

// LoadWith is Load with limits other than DefaultLimits. The files a model
// includes must be in the directory of path or below it.
func LoadWith(path string, lim Limits) (*Model, error) { return loadDir(path, lim) }

// ReadFile reads a file, refusing one past the size limit before reading it.
// A failure to read is returned as it is (an *os.PathError, say); a file past
// the limit as an ErrorList.
func ReadFile(path string, lim Limits) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err == nil && st.IsDir() {
		return nil, &os.PathError{Op: "read", Path: path, Err: errors.New("is a directory")}
	}
	return readLimited(path, f, st, lim)
}

// readLimited reads r, the file name whose Stat is st (nil if unknown),
// refusing it before reading when st gives a size past the limit, and
// after reading at most one byte past the limit when it does not (a pipe).
// A file of known size is read into a buffer of that size, not one that
// doubles as it grows.
func readLimited(name string, r io.Reader, st fs.FileInfo, lim Limits) ([]byte, error) {
	lim = lim.withDefaults()
	var buf bytes.Buffer
	if st != nil && st.Mode().IsRegular() {
		if st.Size() > lim.MaxBytes {
			return nil, ErrorList{tooBig(name, lim.MaxBytes)}
		}
		buf.Grow(int(st.Size()) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(r, lim.MaxBytes+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > lim.MaxBytes {
		return nil, ErrorList{tooBig(name, lim.MaxBytes)}
	}
	return buf.Bytes(), nil
}

func tooBig(name string, maxBytes int64) *Error {
	return &Error{File: name, Msg: fmt.Sprintf("file is larger than the limit of %d bytes", maxBytes),
		Hint: "split the model, or raise the limit", Limit: "MaxBytes"}
}

type parser struct {
	file     string
	includes []Ref // the paths under "include", as written
	lim      Limits
	errs     ErrorList
	size     map[*yaml.Node]int // expanded size of nodes that aliases point into
	src      []byte             // the text parsed, to place characters inside scalars
	lazyTop  bool               // leave the top's long lists to seq (a loader's files)
	slow     bool               // parse with yaml.v3 alone
	fast     *fastReader        // the fast reader, when it read the file
}

func newParser(file string, lim Limits) *parser {
	return &parser{file: file, lim: lim.withDefaults()}
}

func (p *parser) add(sev Severity, pos Pos, msg, hint string) {
	p.addIn(p.file, sev, pos, msg, hint)
}

// addIn reports a problem in a file other than the one being parsed: the
// checks of a merged model concern entries of many files.
func (p *parser) addIn(file string, sev Severity, pos Pos, msg, hint string) {
	p.errs = append(p.errs, &Error{File: file, Pos: pos, Severity: sev, Msg: msg, Hint: hint})
}

// limit reports an input past one of the limits.
func (p *parser) limit(name string, pos Pos, msg, hint string) {
	p.errs = append(p.errs, &Error{File: p.file, Pos: pos, Msg: msg, Hint: hint, Limit: name})
}

func (p *parser) errorf(n *yaml.Node, hint, format string, args ...any) {
	p.add(SevError, posOf(n), fmt.Sprintf(format, args...), hint)
}

func (p *parser) warnf(n *yaml.Node, hint, format string, args ...any) {
	p.add(SevWarning, posOf(n), fmt.Sprintf(format, args...), hint)
}

func (p *parser) finish() error {
	p.errs.Sort()
	return p.errs.Err()
}

// at returns the position of n in the file being parsed.
func (p *parser) at(n *yaml.Node) Pos {
	pos := posOf(n)
	pos.File = p.file
	return pos
}

func posOf(n *yaml.Node) Pos {
	if n == nil {
		return Pos{}
	}
	return Pos{Line: n.Line, Column: n.Column}
}

// document checks the bytes and parses them into a tree of yaml nodes whose
// aliases have been measured against the limits. It returns the root mapping,
// or nil after reporting why there is none.
func (p *parser) document(src []byte, lim Limits) *yaml.Node {
	lim = lim.withDefaults()
	if int64(len(src)) > lim.MaxBytes {
		p.errs = append(p.errs, tooBig(p.file, lim.MaxBytes))
		return nil
	}
	switch {
	case bytes.HasPrefix(src, []byte{0xFE, 0xFF}), bytes.HasPrefix(src, []byte{0xFF, 0xFE}):
		p.add(SevError, Pos{Line: 1, Column: 1}, "file is UTF-16", "save it as UTF-8")
		return nil
	}
	src = bytes.TrimPrefix(src, []byte{0xEF, 0xBB, 0xBF})
	if !p.text(src) {
		return nil
	}
	p.src = src
	var root *yaml.Node
	if !p.slow {
		root, p.fast = fastDocument(src, p.lim.MaxDepth, p.lazyTop)
	}
	if root == nil {
		var err error
		if root, err = parseYAML(src); err != nil {
			p.syntax(src, err)
			return nil
		}
	}
	if root == nil || len(root.Content) == 0 || isNull(root.Content[0]) {
		p.add(SevError, Pos{Line: 1, Column: 1}, "empty model", `a model starts with "version: 1"; see docs/model.md`)
		return nil
	}
	top := root.Content[0]
	if !p.measure(top) {
		return nil
	}
	if top.Kind != yaml.MappingNode {
		p.errorf(top, `a model starts with "version: 1" followed by organisations, services and dependencies`,
			"the top of the file must be a mapping of keys, not %s", describe(top))
		return nil
	}
	return top
}

// text reports binary or badly encoded content at its position.
func (p *parser) text(src []byte) bool {
	line, col := 1, 1
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\n':
				line, col = line+1, 1
				i++
				continue
			case c == 0:
				p.add(SevError, Pos{Line: line, Column: col}, "file holds a NUL byte: it is binary, not a YAML model", "check that you named the right file")
				return false
			case c < 0x20 && c != '\t' && c != '\r', c == 0x7F:
				p.add(SevError, Pos{Line: line, Column: col}, fmt.Sprintf("control character U+%04X", c), "remove it; a model is plain text")
				return false
			}
			i, col = i+1, col+1
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		at := Pos{Line: line, Column: col}
		switch {
		case r == utf8.RuneError && size == 1:
			p.add(SevError, at, fmt.Sprintf("invalid UTF-8 byte 0x%02X", c), "save the file as UTF-8")
			return false
		case r == 0x85, r == 0x2028, r == 0x2029:
			// YAML ends a line at these, where an editor shows none.
			p.add(SevError, at, fmt.Sprintf("character %s, which YAML reads as a line break", textsafe.Name(r)),
				"delete it, or break the line with an ordinary newline; most editors do not show it")
			return false
		case r >= 0x80 && r <= 0x9F:
			p.add(SevError, at, fmt.Sprintf("control character %s", textsafe.Name(r)), "remove it; a model is plain text")
			return false
		case r == 0xFFFE, r == 0xFFFF:
			p.add(SevError, at, fmt.Sprintf("character U+%04X, which is not text", r), "remove it; a model is plain text")
			return false
		}
		i, col = i+size, col+1
	}
	return true
}

// parseYAML parses the first document and refuses a second. The parser's
// panics, if any, come back as errors.
func parseYAML(src []byte) (root *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("yaml: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, nil
		}
		return nil, err
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return nil, &secondDocument{pos: posOf(&next)}
	case err != io.EOF:
		return nil, err
	}
	return &doc, nil
}

type secondDocument struct{ pos Pos }

func (e *secondDocument) Error() string { return "second document" }

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntax reports a YAML syntax error with its line and a hint.
func (p *parser) syntax(src []byte, err error) {
	var sd *secondDocument
	if errors.As(err, &sd) {
		p.add(SevError, sd.pos, "the file holds more than one YAML document", `keep one model a file; remove the "---" line`)
		return
	}
	msg := err.Error()
	pos := Pos{Line: 1, Column: 1}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		pos = Pos{Line: line, Column: 1}
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	if m, ok := findMistake(src, msg, pos.Line); ok {
		p.add(SevError, m.pos, "YAML syntax: "+m.msg, m.hint)
		return
	}
	text := lineText(src, pos.Line)
	hint := "fix the YAML syntax near here"
	switch {
	case strings.Contains(text, "\t") || strings.Contains(msg, "tab"):
		pos.Column = strings.IndexByte(text, '\t') + 1
		hint = "indent with spaces: YAML does not allow tabs"
	case strings.Contains(msg, "mapping values are not allowed"):
		hint = `check the indentation, or quote a value that holds ": "`
	case strings.Contains(msg, "did not find expected key"), strings.Contains(msg, "did not find expected '-'"):
		hint = "check the indentation of this line and the one before"
	case strings.Contains(msg, "unknown anchor"):
		hint = "define the anchor with &name before using *name"
	case strings.Contains(msg, "found unexpected end of stream"), strings.Contains(msg, "did not find expected"):
		hint = "close the quote or bracket opened here"
	}
	if pos.Column == 0 {
		pos.Column = 1
	}
	if t := strings.TrimLeft(text, " "); pos.Column == 1 && len(t) < len(text) {
		pos.Column = len(text) - len(t) + 1
	}
	p.add(SevError, pos, "YAML syntax: "+msg, hint)
}

func lineText(src []byte, line int) string {
	for i := 1; i < line; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return ""
		}
		src = src[j+1:]
	}
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return strings.TrimSuffix(string(src), "\r")
}

// measure checks the nesting depth and how far aliases expand the tree
// (a "billion laughs" file is small but expands without end).
func (p *parser) measure(root *yaml.Node) bool {
	p.size = map[*yaml.Node]int{}
	plain := 0
	var worst *yaml.Node
	worstSize := 0
	ok := true
	var walk func(n *yaml.Node, depth int) int
	walk = func(n *yaml.Node, depth int) int {
		if !ok {
			return 0
		}
		if depth > p.lim.MaxDepth {
			p.limit("MaxDepth", posOf(n), fmt.Sprintf("nesting deeper than the limit of %d levels", p.lim.MaxDepth), "a model needs a few levels: check the structure here, or raise the limit")
			ok = false
			return 0
		}
		plain++
		if n.Kind == yaml.AliasNode {
			s := p.expanded(n.Alias, 0)
			if s < 0 {
				p.add(SevError, posOf(n), "alias refers to itself", "an anchor cannot contain its own alias")
				ok = false
				return 0
			}
			if s > worstSize {
				worst, worstSize = n, s
			}
			return s
		}
		total := 1
		for _, c := range n.Content {
			total += walk(c, depth+1)
			if total > p.lim.MaxAliasNodes+plain {
				break
			}
		}
		return total
	}
	total := walk(root, 0)
	if !ok {
		return false
	}
	if extra := total - plain; extra > p.lim.MaxAliasNodes {
		p.limit("MaxAliasNodes", posOf(worst), fmt.Sprintf("aliases expand the file by over %d nodes, past the limit of %d", extra, p.lim.MaxAliasNodes),
			"write the repeated content out, use fewer nested aliases, or raise the limit")
		return false
	}
	return true
}

// expanded returns the number of nodes n stands for with its aliases
// expanded, saturating past the limit; -1 for a cycle.
func (p *parser) expanded(n *yaml.Node, depth int) int {
	if s, seen := p.size[n]; seen {
		return s
	}
	if depth > p.lim.MaxDepth*4 {
		return -1
	}
	p.size[n] = -1 // in progress: a cycle finds this
	s := 1
	if n.Kind == yaml.AliasNode {
		s = p.expanded(n.Alias, depth+1)
	} else {
		for _, c := range n.Content {
			cs := p.expanded(c, depth+1)
			if cs < 0 {
				return -1
			}
			s += cs
			if s > p.lim.MaxAliasNodes*2 {
				s = p.lim.MaxAliasNodes * 2
				break
			}
		}
	}
	p.size[n] = s
	return s
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	n = deref(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

func describe(n *yaml.Node) string {
	n = deref(n)
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", truncate(n.Value, 40))
	}
	return "an unknown node"
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
