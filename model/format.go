package model

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// FormatWidth is the widest line that Format makes of a block entry when it
// rewrites it in flow style.
const FormatWidth = 120

// Format rewrites a model file, or a scenarios file, in the canonical layout:
//
//   - the sections in the documented order (version, name, description,
//     extension keys, organisations, services, dependencies, scenarios,
//     policies), and the keys of every entry in the documented order, keys
//     the format does not know last, as written;
//   - lists of ids and words in flow style, [a, b], unless a comment sits
//     inside them;
//   - a dependency, an exception or a what-if entry written as a block is
//     written as one flow line, {from: a, to: b, type: service}, when it
//     holds no comment and fits in FormatWidth columns; other entries keep
//     the style they are written in;
//   - two-space indentation, one space before a line comment, at most one
//     blank line where the file has blank lines.
//
// Comments are kept, and folded or literal text (description: >) is kept as
// written. Format is idempotent, and the result reads to the same values as
// src. A file that is not YAML gets the loader's errors, with positions.
//
// A long list is read a thousand or so entries at a time, so that the
// memory Format needs does not grow with the file.
func Format(name string, src []byte) ([]byte, error) {
	if out, ok := formatPieces(name, src, formatPiece); ok {
		return out, nil
	}
	return FormatEdit(name, src, nil)
}

// FormatEdit is Format that lets edit change the YAML tree of the file
// (its document node) before it is laid out: a program that rewrites a
// model keeps the comments and blank lines of the parts it does not touch.
// Nodes that edit adds should have no Line.
func FormatEdit(name string, src []byte, edit func(doc *yaml.Node) error) ([]byte, error) {
	return settle(name, src, edit, false)
}

// settle formats src until the text settles: yaml.v3 places some comments
// (at the end of a list, say) where a second pass places them differently.
// A piece of a file (piece) that cannot be formatted apart from the rest
// is refused with errNotAlone.
func settle(name string, src []byte, edit func(doc *yaml.Node) error, piece bool) ([]byte, error) {
	out, err := formatOnce(name, src, edit, piece)
	if err == nil && edit == nil && bytes.Equal(out, src) {
		return out, nil // formatting is a function of the text: src is settled
	}
	for range 3 {
		if err != nil {
			return nil, err
		}
		again, err2 := formatOnce(name, out, nil, piece)
		if err2 == nil && bytes.Equal(again, out) {
			return out, nil
		}
		out, err = again, err2
	}
	return nil, ErrorList{{File: name, Msg: "cannot settle on a layout for the comments of this file",
		Hint: "move comments that follow the last entry of a list above an entry"}}
}

func formatOnce(name string, src []byte, edit func(doc *yaml.Node) error, piece bool) ([]byte, error) {
	p := newParser(name, Limits{})
	if p.document(src, Limits{}) == nil {
		return nil, p.finish()
	}
	src = bytes.TrimPrefix(src, []byte{0xEF, 0xBB, 0xBF})
	if bytes.Contains(src, []byte("\r\n")) {
		// yaml.v3 reads a comment's CRLF as two line breaks, and a value's
		// as one: the file is written with LF, and says the same.
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	}
	doc, err := parseYAML(src)
	if err != nil || doc == nil || len(doc.Content) == 0 {
		return nil, ErrorList{{File: name, Msg: fmt.Sprintf("cannot read the file as YAML: %v", err)}}
	}
	if piece && (shared(doc) || footed(doc)) {
		return nil, errNotAlone
	}
	f := &formatter{src: strings.Split(string(src), "\n")}
	top := doc.Content[0]
	f.blanks(top)
	if edit != nil {
		if err := edit(doc); err != nil {
			return nil, err
		}
		top = doc.Content[0]
	}
	f.top(top)
	text, err := encode(doc, encodeChunk)
	if err != nil {
		return nil, ErrorList{{File: name, Msg: fmt.Sprintf("cannot write the file: %v", err)}}
	}
	out := strings.TrimRight(f.finish(text), "\n") + "\n"
	if edit != nil || out == string(src) {
		return []byte(out), nil
	}
	if err := sameValues(src, []byte(out)); err != nil {
		return nil, ErrorList{{File: name, Msg: "formatting would change what the file says: " + err.Error(),
			Hint: "an alias may come before its anchor once the sections are in order; define shared anchors under an x- key at the top"}}
	}
	return []byte(out), nil
}

// blankMark stands for a blank line while the tree is encoded.
const blankMark = "#blastradius-fmt-blank"

// rawMark stands for a folded or literal text while the tree is encoded.
const rawMark = "blastradius-fmt-raw-"

type formatter struct {
	src []string
	raw []rawText
}

// rawText is a folded or literal text as written, and the column of its key.
type rawText struct {
	key    string
	keyCol int // 0-based column of the key in the source
	header string
	lines  []string
}

// blanks marks each entry and key that the source precedes by a blank line.
func (f *formatter) blanks(n *yaml.Node) {
	switch n.Kind {
	case yaml.SequenceNode:
		for i, c := range n.Content {
			// No blank line opens a list, nor comes between items of one line.
			if i > 0 && c.Line > n.Content[i-1].Line {
				f.markBlank(c)
			}
			f.blanks(c)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			// A blank line above an entry's first key is the entry's.
			if i > 0 && n.Content[i].Line > n.Content[i-2].Line {
				f.markBlank(n.Content[i])
			}
			f.blanks(n.Content[i+1])
		}
	}
}

func (f *formatter) markBlank(n *yaml.Node) {
	if strings.HasPrefix(n.HeadComment, blankMark) {
		return
	}
	first := n.Line
	if n.HeadComment != "" {
		first -= strings.Count(n.HeadComment, "\n") + 1
	}
	if first >= 2 && first-2 < len(f.src) && strings.TrimSpace(f.src[first-2]) == "" {
		n.HeadComment = joinComment(blankMark, n.HeadComment)
	}
}

func joinComment(a, b string) string {
	if b == "" {
		return a
	}
	return a + "\n" + b
}

// Key orders by where a mapping sits.
var (
	alternativeKeys = []string{"from", "to", "add"}
	formatAssume    = union(assumeKeys, "add", "alternatives", "remove_controls")
)

func (f *formatter) top(n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		return
	}
	order := []string{"version", "name", "description"}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; strings.HasPrefix(k, "x-") {
			order = append(order, k)
		}
	}
	order = union(order, topKeys...)
	f.sortKeys(n, order)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, n.Content[i+1]
		switch k {
		case "organisations":
			f.nodes(v, orgKeys)
		case "services":
			f.nodes(v, serviceKeys)
		case "dependencies":
			f.dependencies(v)
		case "scenarios":
			for _, s := range items(v) {
				f.scenario(s)
			}
		case "policies":
			f.policies(v)
		default:
			f.value(n.Content[i], v)
		}
	}
}

func items(n *yaml.Node) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// entries orders the keys of every entry of a list; oneLine entries become
// flow mappings when they can.
func (f *formatter) entries(n *yaml.Node, keys []string, oneLine bool) {
	for _, e := range items(n) {
		f.entry(e, keys, oneLine)
	}
}

// nodes orders the keys of organisations or services, and of their
// recovery and restore points.
func (f *formatter) nodes(n *yaml.Node, keys []string) {
	for _, e := range items(n) {
		f.entry(e, keys, false)
		if e.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(e.Content); i += 2 {
			switch v := e.Content[i+1]; e.Content[i].Value {
			case "recovery":
				f.sortKeys(v, recoveryKeys)
			case "restore":
				for _, pt := range items(v) {
					f.sortKeys(pt, restoreKeys)
				}
			case "stock":
				f.sortKeys(v, stockKeys)
			}
		}
	}
}

// dependencies orders the keys of every dependency, and of its aid and
// surge.
func (f *formatter) dependencies(n *yaml.Node) {
	for _, e := range items(n) {
		if e.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(e.Content); i += 2 {
				switch v := e.Content[i+1]; e.Content[i].Value {
				case "aid":
					f.sortKeys(v, aidKeys)
				case "surge":
					f.sortKeys(v, surgeKeys)
				}
			}
		}
		f.entry(e, depKeys, true)
	}
}

func (f *formatter) entry(e *yaml.Node, keys []string, oneLine bool) {
	if e.Kind != yaml.MappingNode {
		f.generic(e)
		return
	}
	f.sortKeys(e, keys)
	// Before generic, which puts a mark in place of folded or literal text.
	oneLine = oneLine && e.Style&yaml.FlowStyle == 0 && !hasInnerComments(e)
	f.generic(e)
	if oneLine && fitsOneLine(e) {
		e.Style |= yaml.FlowStyle
	}
}

func (f *formatter) scenario(s *yaml.Node) {
	if s.Kind != yaml.MappingNode {
		f.generic(s)
		return
	}
	f.sortKeys(s, scenarioKeys)
	for i := 0; i+1 < len(s.Content); i += 2 {
		k, v := s.Content[i].Value, s.Content[i+1]
		switch k {
		case "assume":
			if v.Kind != yaml.MappingNode {
				break
			}
			f.sortKeys(v, formatAssume)
			for j := 0; j+1 < len(v.Content); j += 2 {
				switch w := v.Content[j+1]; v.Content[j].Value {
				case "remove":
					f.entries(w, removeKeys, true)
				case "add":
					f.dependencies(w)
				case "alternatives":
					f.entries(w, alternativeKeys, true)
				default:
					f.value(v.Content[j], w)
				}
			}
		case "expect":
			if v.Kind == yaml.MappingNode {
				f.sortKeys(v, expectKeys)
			}
			f.generic(v)
		default:
			f.value(s.Content[i], v)
		}
	}
}

func (f *formatter) policies(n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		f.generic(n)
		return
	}
	f.sortKeys(n, policyKeys)
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "exceptions" {
			f.entries(n.Content[i+1], exceptionKeys, true)
		} else {
			f.value(n.Content[i], n.Content[i+1])
		}
	}
}

// generic applies the rules every value shares: lists of words in flow
// style, folded and literal text kept as written.
func (f *formatter) generic(n *yaml.Node) {
	switch n.Kind {
	case yaml.SequenceNode:
		words := true
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode || c.HeadComment != "" || c.LineComment != "" || c.FootComment != "" || c.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
				words = false
			}
			f.generic(c)
		}
		if words {
			n.Style |= yaml.FlowStyle
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			f.value(n.Content[i], n.Content[i+1])
		}
	}
}

// value formats the value v of the key k.
func (f *formatter) value(k, v *yaml.Node) {
	if v.Kind == yaml.ScalarNode && v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 && k.Kind == yaml.ScalarNode && k.Style == 0 {
		f.keepRaw(k, v)
		return
	}
	f.generic(v)
}

// keepRaw replaces a folded or literal text by a mark, to be put back as
// written once the tree is encoded.
func (f *formatter) keepRaw(k, v *yaml.Node) {
	line := v.Line - 1
	if line < 0 || line >= len(f.src) || v.Column-1 > len(f.src[line]) {
		return
	}
	header := f.src[line][v.Column-1:]
	if strings.Contains(header, "+") || strings.Contains(header, "#") {
		return // trailing blank lines, or a comment: leave it to the encoder
	}
	r := rawText{key: k.Value, keyCol: k.Column - 1, header: strings.TrimSpace(header)}
	for i := line + 1; i < len(f.src); i++ {
		s := f.src[i]
		if strings.TrimSpace(s) != "" && indentOf(s) <= r.keyCol {
			break
		}
		r.lines = append(r.lines, s)
	}
	for len(r.lines) > 0 && strings.TrimSpace(r.lines[len(r.lines)-1]) == "" {
		r.lines = r.lines[:len(r.lines)-1]
	}
	v.Value = fmt.Sprintf("%s%d", rawMark, len(f.raw))
	v.Style, v.Tag = 0, "!!str"
	f.raw = append(f.raw, r)
}

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

// sortKeys puts a mapping's keys in order; keys not in order follow, as
// written. A merge key ("<<") stays first.
func (f *formatter) sortKeys(n *yaml.Node, order []string) {
	if n.Kind != yaml.MappingNode {
		return
	}
	type pair struct{ k, v *yaml.Node }
	var pairs []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		pairs = append(pairs, pair{n.Content[i], n.Content[i+1]})
	}
	rank := func(p pair) int {
		if p.k.ShortTag() == "!!merge" {
			return -1
		}
		if i := slices.Index(order, p.k.Value); i >= 0 {
			return i
		}
		return len(order)
	}
	if len(pairs) == 0 {
		return
	}
	first := pairs[0].k
	slices.SortStableFunc(pairs, func(a, b pair) int { return rank(a) - rank(b) })
	n.Content = n.Content[:0]
	for _, p := range pairs {
		n.Content = append(n.Content, p.k, p.v)
	}
	if k := n.Content[0]; k != first && first.HeadComment != "" {
		// The comment above an entry, or above the file, stays above it.
		k.HeadComment = joinComment(first.HeadComment, strings.TrimPrefix(strings.TrimPrefix(k.HeadComment, blankMark), "\n"))
		first.HeadComment = ""
	}
}

func hasInnerComments(n *yaml.Node) bool {
	for _, c := range n.Content {
		if c.HeadComment != "" || c.LineComment != "" || c.FootComment != "" || hasInnerComments(c) {
			return true
		}
		if c.Kind == yaml.ScalarNode && c.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return true
		}
		if c.Kind != yaml.ScalarNode && c.Kind != yaml.SequenceNode {
			return true // a nested mapping or an alias stays a block
		}
	}
	return n.FootComment != ""
}

// fitsOneLine reports whether an entry of a list, written in flow style,
// fits in FormatWidth columns at the indentation of a section's entries.
func fitsOneLine(n *yaml.Node) bool {
	c := *n
	c.Style |= yaml.FlowStyle
	c.HeadComment, c.LineComment, c.FootComment = "", "", ""
	out, err := yaml.Marshal(&c)
	if err != nil {
		return false
	}
	width := len("  - ") + len(strings.TrimRight(string(out), "\n"))
	if n.LineComment != "" {
		width += 1 + len(n.LineComment)
	}
	return !strings.Contains(strings.TrimRight(string(out), "\n"), "\n") && width <= FormatWidth
}

// finish turns the marks back into blank lines and texts as written.
func (f *formatter) finish(out string) string {
	lines := strings.Split(out, "\n")
	var b strings.Builder
	blank := false
	for i, line := range lines {
		if strings.TrimSpace(line) == blankMark {
			blank = true
			continue
		}
		if blank && b.Len() > 0 {
			b.WriteByte('\n')
		}
		blank = false
		if j := strings.Index(line, rawMark); j >= 0 {
			if idx, ok := f.rawIndex(line[j:]); ok {
				r := f.raw[idx]
				keyCol := j - len(r.key) - 2
				b.WriteString(line[:j])
				b.WriteString(r.header)
				for _, l := range r.lines {
					b.WriteByte('\n')
					if strings.TrimSpace(l) == "" {
						continue
					}
					if d := keyCol - r.keyCol; d >= 0 {
						b.WriteString(strings.Repeat(" ", d) + l)
					} else {
						b.WriteString(l[min(-d, indentOf(l)):])
					}
				}
				b.WriteByte('\n')
				continue
			}
		}
		b.WriteString(line)
		if i < len(lines)-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func (f *formatter) rawIndex(s string) (int, bool) {
	var idx int
	if _, err := fmt.Sscanf(s, rawMark+"%d", &idx); err != nil || idx < 0 || idx >= len(f.raw) {
		return 0, false
	}
	if strings.TrimSpace(s) != fmt.Sprintf("%s%d", rawMark, idx) {
		return 0, false
	}
	return idx, true
}

// sameValues reports whether two YAML texts hold the same values.
func sameValues(a, b []byte) error {
	var va, vb any
	if err := yaml.Unmarshal(a, &va); err != nil {
		return err
	}
	if err := yaml.Unmarshal(b, &vb); err != nil {
		return err
	}
	if !reflect.DeepEqual(va, vb) {
		return fmt.Errorf("the values differ")
	}
	return nil
}

// encodeChunk is how many entries of a list encode writes at a time.
const encodeChunk = 1024

// encode writes a document in two-space block style. yaml.v3's emitter
// keeps every event of a document until the end, several times the size
// of the text, so a document whose top level is a plain mapping is written
// a section at a time and a long list chunk entries at a time, each by its
// own encoder: the text is the same as one encoder's (a test holds them
// equal on every example and fuzzing seed), but only one chunk's events
// are held at once.
func encode(doc *yaml.Node, chunk int) (string, error) {
	var b strings.Builder
	var buf bytes.Buffer
	// one writes n, without its first line if skipLine.
	one := func(n *yaml.Node, skipLine bool) error {
		buf.Reset()
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(n); err != nil {
			return err
		}
		if err := enc.Close(); err != nil {
			return err
		}
		out := buf.Bytes()
		if skipLine {
			out = out[bytes.IndexByte(out, '\n')+1:]
		}
		b.Write(out)
		return nil
	}
	if !chunkable(doc) {
		err := one(doc, false)
		return b.String(), err
	}
	top := doc.Content[0]
	section := func(k, v *yaml.Node) *yaml.Node {
		return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{
			{Kind: yaml.MappingNode, Tag: top.Tag, Content: []*yaml.Node{k, v}}}}
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		if v.Kind != yaml.SequenceNode || v.Style&yaml.FlowStyle != 0 || len(v.Content) <= chunk ||
			v.HeadComment != "" || v.LineComment != "" || v.FootComment != "" || v.Anchor != "" {
			if err := one(section(k, v), false); err != nil {
				return "", err
			}
			continue
		}
		// The key is written with every chunk and kept from the first.
		bare := *k
		bare.HeadComment, bare.LineComment, bare.FootComment = "", "", ""
		for j := 0; j < len(v.Content); {
			// A chunk ends where no foot comment does: one encoder
			// follows a foot comment with a blank line when more comes.
			end := min(j+chunk, len(v.Content))
			for end < len(v.Content) && footed(v.Content[end-1]) {
				end++
			}
			part := *v
			part.Content = v.Content[j:end]
			key := k
			if j > 0 {
				key = &bare
			}
			if err := one(section(key, &part), j > 0); err != nil {
				return "", err
			}
			j = end
		}
	}
	return b.String(), nil
}

// chunkable reports whether encode may write doc a section at a time: one
// plain block mapping, with no comments of its own or of the document, and
// no section that ends with a foot comment.
func chunkable(doc *yaml.Node) bool {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 ||
		doc.HeadComment != "" || doc.LineComment != "" || doc.FootComment != "" {
		return false
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode || top.Style&yaml.FlowStyle != 0 || top.Anchor != "" ||
		top.HeadComment != "" || top.LineComment != "" || top.FootComment != "" {
		return false
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		if footed(top.Content[i]) || footed(top.Content[i+1]) {
			return false
		}
	}
	return true
}

// footed reports whether n ends with a foot comment: its own, or one of
// the last entry it holds (a mapping's on its last key or value).
func footed(n *yaml.Node) bool {
	for n != nil {
		if n.FootComment != "" {
			return true
		}
		c := n.Content
		if len(c) == 0 {
			return false
		}
		if n.Kind == yaml.MappingNode && len(c) >= 2 && c[len(c)-2].FootComment != "" {
			return true
		}
		n = c[len(c)-1]
	}
	return false
}
