package model

import (
	"bytes"
	"hash/maphash"
	"iter"

	"go.yaml.in/yaml/v3"
)

// The fast reader parses the shape nearly every model file has, block
// mappings and lists whose scalars and flow collections ("[a, b]",
// "{id: x, kind: trust}") each fit on one line, into the same nodes, with
// the same positions, as yaml.v3 gives, at several times its speed. Anything
// else (anchors, tags, block scalars, a quoted or flow value over several
// lines, an escape in a double-quoted string, a tab, an empty value, a
// syntax error) it declines, and the file is parsed again by yaml.v3: which
// reader read a file never changes an answer or a message (FuzzFastYAML and
// TestFastYAMLAgrees hold it to that).
//
// Read through a loader, the three long lists of a model (organisations,
// services, dependencies at the top) are not kept as nodes: the reader
// notes where each one lies, how many items it holds and where every
// chunkItems-th item starts, and model() decodes them an item at a time
// (decodeList), the chunks in parallel, each reader using its nodes again
// for the next item. A model file costs its model, not a tree of it.
type fastReader struct {
	src      []byte
	end      int // the end of what is read: len(src), or a lazy list's end
	off      int // the start of the current line
	line     int // its number, from 1
	maxDepth int
	lazyTop  bool
	lazy     map[*yaml.Node]*lazySeq
	declined bool
	slab     []yaml.Node
	// arena holds the nodes of one lazy item, used again for the next: the
	// decoder keeps no node of an item once it has read it.
	arena []yaml.Node
	used  int
	// words holds the text of scalars read often (keys, kinds, relations),
	// so that a scalar of that text shares it instead of a copy of its own.
	words *wordSet
	// recent, if set, holds the text of recent scalars by a hash of it:
	// the ids a list of dependencies names again and again.
	recent *recentText
}

// recentText is a cache of the text of scalars, one entry a slot.
type recentText struct {
	seed  maphash.Seed
	slots [1024]string
}

// text returns b as a string, the one in the cache if it holds b.
func (r *recentText) text(b []byte) string {
	if len(b) > 32 {
		return string(b)
	}
	slot := &r.slots[maphash.Bytes(r.seed, b)%uint64(len(r.slots))]
	if *slot != string(b) {
		*slot = string(b)
	}
	return *slot
}

// lazySeq is where a list the reader has not parsed yet lies.
type lazySeq struct {
	start, end int // from its first "-" line to the line after it
	line       int // the number of its first line
	indent     int
	count      int
	marks      []lazyMark // where items 0, chunkItems, 2×chunkItems, … start
}

// lazyMark is where an item of a lazy list starts: its offset and line.
type lazyMark struct{ off, line int }

// chunkItems is how many items of a long list one goroutine decodes at a
// time.
const chunkItems = 1024

// decline is the panic by which the reader gives a file up to yaml.v3.
type decline struct{}

// lazyKeys are the lists a loader decodes an item at a time.
var lazyKeys = map[string]bool{"organisations": true, "services": true, "dependencies": true}

// fastDocument parses src (no byte order mark, text already checked) into a
// document node, or returns nil when the file is outside what the reader
// reads. lazyTop leaves the long lists of the top mapping to parser.seq.
func fastDocument(src []byte, maxDepth int, lazyTop bool) (doc *yaml.Node, f *fastReader) {
	f = &fastReader{src: src, end: len(src), line: 1, maxDepth: maxDepth, lazyTop: lazyTop, words: fastWords}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(decline); !ok {
				panic(r)
			}
			doc, f = nil, nil
		}
	}()
	l, ok := f.content()
	if !ok || l.indent != 0 {
		f.giveUp()
	}
	if c := f.src[l.start]; c == '%' || bytes.HasPrefix(f.src[l.start:l.end], []byte("---")) || bytes.HasPrefix(f.src[l.start:l.end], []byte("...")) {
		f.giveUp()
	}
	top := f.mapping(0, l.start, 1)
	if _, ok := f.content(); ok {
		f.giveUp()
	}
	doc = f.node(yaml.DocumentNode, 0, top.Line, top.Column, "")
	doc.Content = []*yaml.Node{top}
	return doc, f
}

func (f *fastReader) giveUp() { panic(decline{}) }

// A line: where it starts, its indentation in spaces, where its text ends
// (before "\r\n") and where the next line starts.
type fline struct {
	start, indent, end, next int
	ascii                    bool // columns are byte offsets plus one
}

func (f *fastReader) lineAt(off int) fline {
	rest := f.src[off:f.end]
	end, next := f.end, f.end
	if e := bytes.IndexByte(rest, '\n'); e >= 0 {
		end, next = off+e, off+e+1
	}
	if end > off && f.src[end-1] == '\r' {
		end--
	}
	text := f.src[off:end]
	if bytes.IndexByte(text, '\t') >= 0 || bytes.IndexByte(text, '\r') >= 0 {
		f.giveUp()
	}
	i := 0
	for i < len(text) && text[i] == ' ' {
		i++
	}
	ascii := true
	for _, b := range text[i:] {
		if b >= 0x80 {
			ascii = false
			break
		}
	}
	return fline{start: off, indent: i, end: end, next: next, ascii: ascii}
}

// blank reports a line of spaces or of a comment alone.
func (f *fastReader) blank(l fline) bool {
	return l.start+l.indent == l.end || f.src[l.start+l.indent] == '#'
}

// content moves past blank lines to the next line with content, if any.
func (f *fastReader) content() (fline, bool) {
	for f.off < f.end {
		l := f.lineAt(f.off)
		if !f.blank(l) {
			return l, true
		}
		f.advance(l)
	}
	return fline{}, false
}

func (f *fastReader) advance(l fline) {
	f.off = l.next
	f.line++
}

// column is the column of offset off on line l, counted in characters as
// yaml.v3 counts them.
func (f *fastReader) column(l fline, off int) int {
	if l.ascii {
		return off - l.start + 1
	}
	col := 1
	for _, b := range f.src[l.start:off] {
		if b&0xC0 != 0x80 {
			col++
		}
	}
	return col
}

func (f *fastReader) node(kind yaml.Kind, style yaml.Style, line, col int, value string) *yaml.Node {
	var n *yaml.Node
	switch {
	case f.used < len(f.arena):
		// A node of the arena keeps its list of children for the next
		// node it becomes, emptied.
		n = &f.arena[f.used]
		f.used++
		content := n.Content[:0]
		*n = yaml.Node{Kind: kind, Style: style, Line: line, Column: col, Value: value, Content: content}
		return n
	default:
		if len(f.slab) == 0 {
			f.slab = make([]yaml.Node, 128)
		}
		n = &f.slab[0]
		f.slab = f.slab[1:]
	}
	*n = yaml.Node{Kind: kind, Style: style, Line: line, Column: col, Value: value}
	return n
}

// scalar makes a scalar node of text, whose tag it resolves once (the
// decoder asks for it often).
func (f *fastReader) scalar(style yaml.Style, line, col int, text []byte) *yaml.Node {
	value, ok := "", false
	if f.words != nil {
		value, ok = f.words.find(text)
	}
	switch {
	case ok:
	case f.recent != nil:
		value = f.recent.text(text)
	default:
		value = string(text)
	}
	n := f.node(yaml.ScalarNode, style, line, col, value)
	switch {
	case style != 0:
		n.Tag = "!!str"
	case len(text) > 0 && isLetter(text[0]) && !boolOrNull(n.Value):
		n.Tag = "!!str"
	case decimal(text):
		n.Tag = "!!int"
	case fraction(text):
		n.Tag = "!!float"
	default:
		n.Tag = n.ShortTag()
	}
	return n
}

// fastWords are the keys and the words of fixed sets that a model
// repeats on every line.
var fastWords = func() *wordSet {
	w := &wordSet{}
	for _, list := range [][]string{topKeys, orgKeys, serviceKeys, depKeys, scenarioKeys, assumeKeys, alternateKeys,
		removeKeys, expectKeys, policyKeys, exceptionKeys, aidKeys, stockKeys, surgeKeys, recoveryKeys, restoreKeys,
		relationWords(), modeNames, Controls, OrganisationKinds, ServiceKinds, {"true", "false"}} {
		for _, s := range list {
			if _, ok := w.find([]byte(s)); !ok && s != "" {
				b := &w[wordSlot([]byte(s))]
				*b = append(*b, s)
			}
		}
	}
	return w
}()

// wordSet is a set of words by their length and first letter: cheaper to
// ask than a map for the few words of fastWords.
type wordSet [512][]string

func wordSlot(b []byte) int { return (len(b)&15)<<5 | int(b[0]&31) }

// find returns the word of the set that b spells, if any.
func (w *wordSet) find(b []byte) (string, bool) {
	if len(b) == 0 {
		return "", false
	}
	for _, s := range w[wordSlot(b)] {
		if s == string(b) {
			return s, true
		}
	}
	return "", false
}

// fraction reports digits, a point and digits, which yaml.v3 reads as a
// number with a fraction.
func fraction(b []byte) bool {
	dot := bytes.IndexByte(b, '.')
	if dot < 1 || dot == len(b)-1 || len(b) > 20 {
		return false
	}
	for i, c := range b {
		if i != dot && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// boolOrNull reports the plain words yaml.v3 reads as other than text.
func boolOrNull(s string) bool {
	switch s {
	case "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL":
		return true
	}
	return false
}

// decimal reports a short whole number without a sign or leading zero,
// which yaml.v3 reads as an integer.
func decimal(b []byte) bool {
	if len(b) == 0 || len(b) > 15 || b[0] == '0' && len(b) > 1 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func (f *fastReader) deeper(depth int) {
	if depth > f.maxDepth {
		f.giveUp()
	}
}

// mapping reads a block mapping whose keys are at indentation ind, the
// first of them at offset first of the current line.
func (f *fastReader) mapping(ind, first, depth int) *yaml.Node {
	f.deeper(depth)
	l := f.lineAt(f.off)
	m := f.node(yaml.MappingNode, 0, f.line, f.column(l, first), "")
	at := first
	for {
		k, after := f.key(l, at)
		var v *yaml.Node
		if f.lazyTop && depth == 1 && k.Style == 0 && lazyKeys[k.Value] && f.restEmpty(l, after) {
			v = f.lazyList(l)
		}
		if v == nil {
			v = f.value(l, after, ind, depth)
		}
		m.Content = append(m.Content, k, v)
		next, ok := f.content()
		if !ok || next.indent < ind {
			return m
		}
		if next.indent > ind || f.seqItem(next) {
			f.giveUp()
		}
		l, at = next, next.start+ind
	}
}

// restEmpty reports whether line l holds nothing but a comment after off.
func (f *fastReader) restEmpty(l fline, off int) bool {
	i := f.spaces(off, l.end)
	return i == l.end || (f.src[i] == '#' && i > off)
}

func (f *fastReader) spaces(i, end int) int {
	for i < end && f.src[i] == ' ' {
		i++
	}
	return i
}

// value reads the value of a key whose ":" ends at after on line l: the
// rest of the line, or a block on the lines below.
func (f *fastReader) value(l fline, after, ind, depth int) *yaml.Node {
	if f.restEmpty(l, after) {
		f.advance(l)
		return f.block(ind, depth+1, true)
	}
	i := f.spaces(after, l.end)
	if c := f.src[i]; c == '|' || c == '>' {
		return f.blockScalar(l, i, ind)
	}
	v := f.inline(l, i, depth+1)
	f.advance(l)
	return v
}

// blockScalar reads a literal ("|") or folded (">") text whose indicator is
// at offset i of line l, below a key at indentation ind: without an
// indentation indicator, clipped or stripped ("|-"), its lines at one
// indentation (a folded text), with no line of spaces alone.
func (f *fastReader) blockScalar(l fline, i, ind int) *yaml.Node {
	style := yaml.LiteralStyle
	if f.src[i] == '>' {
		style = yaml.FoldedStyle
	}
	n := f.node(yaml.ScalarNode, style, f.line, f.column(l, i), "")
	j, strip := i+1, false
	if j < l.end && f.src[j] == '-' {
		j, strip = j+1, true
	}
	if !f.restEmpty(l, j) || (j < l.end && f.src[j] != ' ') {
		f.giveUp()
	}
	f.advance(l)
	var lines [][]byte // nil for an empty line
	blockInd := -1
	for f.off < f.end {
		x := f.lineAt(f.off)
		if x.start == x.end {
			if blockInd < 0 {
				f.giveUp()
			}
			lines = append(lines, nil)
			f.advance(x)
			continue
		}
		if x.start+x.indent == x.end {
			f.giveUp() // a line of spaces alone
		}
		if blockInd < 0 {
			if x.indent <= ind {
				f.giveUp()
			}
			blockInd = x.indent
		}
		if x.indent < blockInd {
			break
		}
		if x.indent > blockInd && style == yaml.FoldedStyle {
			f.giveUp()
		}
		if x.next == len(f.src) && (x.next == x.end || f.src[x.next-1] != '\n') {
			f.giveUp() // the last line of the file, without its line break
		}
		lines = append(lines, f.src[x.start+blockInd:x.end])
		f.advance(x)
	}
	for len(lines) > 0 && lines[len(lines)-1] == nil {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		f.giveUp()
	}
	var b []byte
	for k, text := range lines {
		switch {
		case k == 0:
		case style == yaml.LiteralStyle || text == nil:
			b = append(b, '\n')
		case lines[k-1] != nil:
			b = append(b, ' ')
		}
		b = append(b, text...)
	}
	if !strip {
		b = append(b, '\n')
	}
	n.Value, n.Tag = string(b), "!!str"
	return n
}

// block reads the collection on the lines below a key or a "-" at
// indentation ind. A list may sit at the key's own indentation.
func (f *fastReader) block(ind, depth int, listAtKey bool) *yaml.Node {
	l, ok := f.content()
	if !ok || l.indent < ind {
		f.giveUp() // an empty value: yaml.v3 places its null
	}
	if f.seqItem(l) {
		if l.indent == ind && !listAtKey {
			f.giveUp()
		}
		return f.sequence(l.indent, depth)
	}
	if l.indent == ind {
		f.giveUp()
	}
	return f.mapping(l.indent, l.start+l.indent, depth)
}

// seqItem reports whether line l starts a list item: "-" and a space or
// the end of the line.
func (f *fastReader) seqItem(l fline) bool {
	i := l.start + l.indent
	return i < l.end && f.src[i] == '-' && (i+1 == l.end || f.src[i+1] == ' ')
}

// sequence reads a block list whose "-" are at indentation ind.
func (f *fastReader) sequence(ind, depth int) *yaml.Node {
	f.deeper(depth)
	s := f.node(yaml.SequenceNode, 0, f.line, ind+1, "")
	for {
		l := f.lineAt(f.off)
		s.Content = append(s.Content, f.item(l, ind, depth+1))
		next, ok := f.content()
		if !ok || next.indent < ind {
			return s
		}
		if next.indent > ind {
			f.giveUp()
		}
		if !f.seqItem(next) {
			return s
		}
	}
}

// item reads one list item, whose "-" is at indentation ind of line l.
func (f *fastReader) item(l fline, ind, depth int) *yaml.Node {
	i := l.start + ind + 1
	if f.restEmpty(l, i) {
		f.advance(l)
		return f.block(ind, depth, false)
	}
	j := f.spaces(i, l.end)
	if f.src[j] == '-' && (j+1 == l.end || f.src[j+1] == ' ') {
		f.giveUp() // a list in a list on one line
	}
	if f.keyAt(l, j) {
		return f.mapping(j-l.start, j, depth)
	}
	v := f.inline(l, j, depth)
	f.advance(l)
	return v
}

// keyAt reports whether a mapping key starts at offset j of line l.
func (f *fastReader) keyAt(l fline, j int) bool {
	switch c := f.src[j]; c {
	case '"', '\'':
		e := bytes.IndexByte(f.src[j+1:l.end], c)
		if e < 0 {
			return false
		}
		k := j + 1 + e + 1
		return k < l.end && f.src[k] == ':'
	case '[', '{':
		return false
	}
	for k := j; k < l.end; k++ {
		switch f.src[k] {
		case ':':
			if k+1 == l.end || f.src[k+1] == ' ' {
				return true
			}
		case '#':
			if f.src[k-1] == ' ' {
				return false
			}
		}
	}
	return false
}

// key reads the key at offset at of line l and returns it and the offset
// after its ":".
func (f *fastReader) key(l fline, at int) (*yaml.Node, int) {
	var k *yaml.Node
	var j int
	switch f.src[at] {
	case '"', '\'':
		k, j = f.quoted(l, at)
	default:
		if indicator(f.src[at]) {
			f.giveUp()
		}
		j = at
		for j < l.end && (f.src[j] != ':' || (j+1 < l.end && f.src[j+1] != ' ')) {
			if f.src[j] == '#' && f.src[j-1] == ' ' {
				f.giveUp()
			}
			j++
		}
		if j == l.end || f.src[j-1] == ' ' {
			f.giveUp()
		}
		k = f.scalar(0, f.line, f.column(l, at), f.src[at:j])
	}
	if j >= l.end || f.src[j] != ':' || (j+1 < l.end && f.src[j+1] != ' ') || j-at > maxKey {
		f.giveUp()
	}
	return k, j + 1
}

// maxKey bounds a key's length in bytes: YAML allows 1,024 characters for
// a key without "?", and the reader leaves the longest to yaml.v3.
const maxKey = 1000

// indicator reports a character that starts something other than a plain
// scalar, or one the reader leaves to yaml.v3.
func indicator(c byte) bool {
	switch c {
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', '~':
		return true
	}
	return false
}

// inline reads a value that starts at offset i of line l and ends the line
// (but for a comment).
func (f *fastReader) inline(l fline, i, depth int) *yaml.Node {
	var n *yaml.Node
	var j int
	switch f.src[i] {
	case '"', '\'':
		n, j = f.quoted(l, i)
	case '[', '{':
		n, j = f.flow(l, i, depth)
	default:
		n, j = f.plain(l, i)
	}
	k := f.spaces(j, l.end)
	if k < l.end && (f.src[k] != '#' || k == j) {
		f.giveUp()
	}
	return n
}

// plain reads a plain scalar to the end of line l or a comment.
func (f *fastReader) plain(l fline, i int) (*yaml.Node, int) {
	if indicator(f.src[i]) {
		f.giveUp()
	}
	j := i
	for j < l.end {
		c := f.src[j]
		if c == '#' && f.src[j-1] == ' ' {
			break
		}
		if c == ':' && (j+1 == l.end || f.src[j+1] == ' ') {
			f.giveUp()
		}
		j++
	}
	e := j
	for e > i && f.src[e-1] == ' ' {
		e--
	}
	return f.scalar(0, f.line, f.column(l, i), f.src[i:e]), e
}

// quoted reads a quoted scalar that closes on line l.
func (f *fastReader) quoted(l fline, i int) (*yaml.Node, int) {
	q := f.src[i]
	j := i + 1
	var buf []byte
	escaped := false
	for {
		if j >= l.end {
			f.giveUp()
		}
		c := f.src[j]
		if q == '"' && c == '\\' {
			f.giveUp()
		}
		if c == q {
			if q == '\'' && j+1 < l.end && f.src[j+1] == '\'' {
				if !escaped {
					buf, escaped = append(buf, f.src[i+1:j]...), true
				}
				buf = append(buf, '\'')
				j += 2
				continue
			}
			break
		}
		if escaped {
			buf = append(buf, c)
		}
		j++
	}
	style := yaml.DoubleQuotedStyle
	if q == '\'' {
		style = yaml.SingleQuotedStyle
	}
	text := f.src[i+1 : j]
	if escaped {
		text = buf
	}
	return f.scalar(style, f.line, f.column(l, i), text), j + 1
}

// flow reads a flow list or mapping that closes on line l.
func (f *fastReader) flow(l fline, i, depth int) (*yaml.Node, int) {
	f.deeper(depth)
	open := f.src[i]
	kind, closer := yaml.SequenceNode, byte(']')
	if open == '{' {
		kind, closer = yaml.MappingNode, '}'
	}
	n := f.node(kind, yaml.FlowStyle, f.line, f.column(l, i), "")
	j := f.spaces(i+1, l.end)
	if j < l.end && f.src[j] == closer {
		return n, j + 1
	}
	for {
		var item *yaml.Node
		key := j
		item, j = f.flowItem(l, j, depth+1)
		n.Content = append(n.Content, item)
		if kind == yaml.MappingNode {
			if j-key > maxKey {
				f.giveUp()
			}
			if j+1 >= l.end || f.src[j] != ':' || f.src[j+1] != ' ' {
				f.giveUp()
			}
			item, j = f.flowItem(l, f.spaces(j+1, l.end), depth+1)
			n.Content = append(n.Content, item)
		}
		j = f.spaces(j, l.end)
		switch {
		case j >= l.end:
			f.giveUp()
		case f.src[j] == closer:
			return n, j + 1
		case f.src[j] == ',':
			j = f.spaces(j+1, l.end)
			if j >= l.end || f.src[j] == closer {
				f.giveUp()
			}
		default:
			f.giveUp()
		}
	}
}

// flowItem reads a scalar or a nested collection inside a flow collection.
func (f *fastReader) flowItem(l fline, j, depth int) (*yaml.Node, int) {
	if j >= l.end {
		f.giveUp()
	}
	switch f.src[j] {
	case '"', '\'':
		return f.quoted(l, j)
	case '[', '{':
		return f.flow(l, j, depth)
	}
	if indicator(f.src[j]) {
		f.giveUp()
	}
	k := j
	for k < l.end {
		c := f.src[k]
		if c == ',' || c == ']' || c == '}' || c == '[' || c == '{' {
			break
		}
		if c == '#' || c == '?' { // yaml.v3 ends a plain scalar at '?' in a flow
			f.giveUp()
		}
		if c == ':' {
			if k+1 < l.end && f.src[k+1] == ' ' {
				break
			}
			f.giveUp()
		}
		k++
	}
	e := k
	for e > j && f.src[e-1] == ' ' {
		e--
	}
	if e == j {
		f.giveUp()
	}
	return f.scalar(0, f.line, f.column(l, j), f.src[j:e]), e
}

// lazyList notes the block list below the key on line l without parsing
// it, or returns nil when what follows is not a block list.
func (f *fastReader) lazyList(l fline) *yaml.Node {
	saveOff, saveLine := f.off, f.line
	f.advance(l)
	first, ok := f.content()
	if !ok || !f.seqItem(first) {
		f.off, f.line = saveOff, saveLine
		return nil
	}
	ls := &lazySeq{start: first.start, line: f.line, indent: first.indent}
	n := f.node(yaml.SequenceNode, 0, f.line, first.indent+1, "")
	for f.off < f.end {
		x := f.lineAt(f.off)
		switch {
		case f.blank(x), x.indent > ls.indent:
		case x.indent == ls.indent && f.seqItem(x):
			if ls.count%chunkItems == 0 {
				ls.marks = append(ls.marks, lazyMark{x.start, f.line})
			}
			ls.count++
		default:
			ls.end = f.off
			f.finishLazy(n, ls)
			return n
		}
		f.advance(x)
	}
	ls.end = f.off
	f.finishLazy(n, ls)
	return n
}

func (f *fastReader) finishLazy(n *yaml.Node, ls *lazySeq) {
	if f.lazy == nil {
		f.lazy = map[*yaml.Node]*lazySeq{}
	}
	f.lazy[n] = ls
}

// items parses a lazy list an item at a time. When an item is outside what
// the reader reads it stops and marks the reader declined: the loader then
// reads the whole file again with yaml.v3.
func (f *fastReader) items(ls *lazySeq) iter.Seq[*yaml.Node] {
	return func(yield func(*yaml.Node) bool) {
		r := &fastReader{src: f.src, end: ls.end, off: ls.start, line: ls.line, maxDepth: f.maxDepth, arena: make([]yaml.Node, 256), words: f.words}
		for {
			r.used = 0
			item, ok := r.nextItem(ls.indent)
			if !ok {
				f.declined = f.declined || r.declined
				return
			}
			if !yield(item) {
				return
			}
		}
	}
}

// chunk is a reader of the items of chunk c of a lazy list, from mark c
// to the next, whose nodes are those of arena, used again for each item.
func (f *fastReader) chunk(ls *lazySeq, c int, arena []yaml.Node, recent *recentText) *fastReader {
	end := ls.end
	if c+1 < len(ls.marks) {
		end = ls.marks[c+1].off
	}
	m := ls.marks[c]
	return &fastReader{src: f.src, end: end, off: m.off, line: m.line, maxDepth: f.maxDepth, arena: arena, words: f.words, recent: recent}
}

// nextItem reads the next item of a list at indentation ind; ok is false at
// the end of the list or when the reader declines.
func (f *fastReader) nextItem(ind int) (item *yaml.Node, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, is := r.(decline); !is {
				panic(r)
			}
			f.declined, item, ok = true, nil, false
		}
	}()
	l, more := f.content()
	if !more {
		return nil, false
	}
	if l.indent != ind || !f.seqItem(l) {
		f.giveUp()
	}
	item = f.item(l, ind, 3)
	if next, more := f.content(); more && (next.indent != ind || !f.seqItem(next)) {
		f.giveUp()
	}
	return item, true
}
