package model

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// formatPiece is how many entries of a long list Format reads at a time.
const formatPiece = 1024

// pieceMark stands, in the rest of the file, for the entries of a long list
// that are formatted on their own.
const pieceMark = "blastradius-fmt-entries-"

// errNotAlone is a piece that cannot be formatted on its own: it holds an
// anchor or an alias, which may share a value with the rest of the file,
// or it ends with a foot comment, which the encoder follows with a blank
// line where more comes after it.
var errNotAlone = errors.New("a piece that is not formatted alone")

// A long list's entries in the text: each one's first line, and their
// indentation.
type listEntries struct {
	key    string // "dependencies"
	indent int
	starts []int // the first line of each entry
}

// formatPieces is Format for a file with long lists of organisations,
// services or dependencies, reading at most chunk entries of one at a
// time: yaml.v3's node tree of a whole national model is many times the
// size of its text. The lists are cut only between two entries with no
// blank line or comment between them or on them, and each run of entries is
// formatted as a file of its own holding that list alone; the rest of the
// file, with a mark where the runs were, is formatted as a whole, and the
// runs are put back at the mark. Entries are formatted each on its own, so
// this is the text Format writes of the whole file, which a test holds on
// every example and fuzzing input. ok is false where the file cannot be
// read in pieces (it is short, or a piece does not read on its own, shares
// anchors or ends with a comment): the caller then formats it whole, with
// the whole file's errors.
func formatPieces(name string, src []byte, chunk int) (out []byte, ok bool) {
	if int64(len(src)) > DefaultLimits.MaxBytes || bytes.Contains(src, []byte(pieceMark)) {
		return nil, false
	}
	lines := newLines(src)
	lists, ok := longLists(lines, chunk)
	if !ok {
		return nil, false
	}
	var rest strings.Builder
	cuts := make([][]int, len(lists)) // where each list is cut, by its mark
	from := 0
	for li, l := range lists {
		c := cutsOf(lines, l, chunk)
		if len(c) < 2 {
			continue
		}
		cuts[li] = c
		rest.Write(lines.between(from, c[0]))
		fmt.Fprintf(&rest, "%s- %s%d\n", strings.Repeat(" ", l.indent), pieceMark, li)
		from = c[len(c)-1]
	}
	if from == 0 {
		return nil, false // no list had entries to cut at
	}
	rest.Write(lines.between(from, lines.n()))
	text, err := settle(name, []byte(rest.String()), nil, false)
	if err != nil {
		return nil, false
	}
	// Format each list's runs in place of its mark.
	var b bytes.Buffer
	b.Grow(len(src) + len(src)/8)
	var run bytes.Buffer
	for line := range strings.Lines(string(text)) {
		li := markIndex(line)
		if li < 0 || li >= len(lists) || cuts[li] == nil {
			b.WriteString(line)
			continue
		}
		key := lists[li].key + ":\n"
		for k := 0; k+1 < len(cuts[li]); k++ {
			run.Reset()
			run.WriteString(key)
			run.Write(lines.between(cuts[li][k], cuts[li][k+1]))
			out, err := settle(name, run.Bytes(), nil, true)
			if err != nil || !bytes.HasPrefix(out, []byte(key)) {
				return nil, false
			}
			b.Write(out[len(key):])
		}
		cuts[li] = nil
	}
	for _, c := range cuts {
		if c != nil {
			return nil, false // a mark went missing
		}
	}
	return b.Bytes(), true
}

// textLines are the lines of a text, found by where each starts: not a
// copy of the text.
type textLines struct {
	src    []byte
	starts []int
}

func newLines(src []byte) textLines {
	starts := make([]int, 1, bytes.Count(src, []byte{'\n'})+1)
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return textLines{src, starts}
}

func (t textLines) n() int { return len(t.starts) }

// line is line i, without its newline.
func (t textLines) line(i int) []byte {
	if i+1 < len(t.starts) {
		return t.src[t.starts[i] : t.starts[i+1]-1]
	}
	return t.src[t.starts[i]:]
}

// between is the text of lines [i, j), with their newlines.
func (t textLines) between(i, j int) []byte {
	if j >= len(t.starts) {
		return t.src[t.starts[i]:]
	}
	return t.src[t.starts[i]:t.starts[j]]
}

// markIndex is the list number of a line that is a mark, or -1.
func markIndex(line string) int {
	s := strings.TrimSpace(line)
	rest, ok := strings.CutPrefix(s, "- "+pieceMark)
	if !ok {
		return -1
	}
	var i int
	if _, err := fmt.Sscanf(rest, "%d", &i); err != nil || fmt.Sprint(i) != rest {
		return -1
	}
	return i
}

// longLists finds the block lists of organisations, services and
// dependencies at the top of the file that hold more than chunk entries.
// ok is false where the file's lines do not make one plain mapping of
// sections that the scan can follow: more than one document, directives,
// a list at the top, a line less indented than its list's entries.
func longLists(lines textLines, chunk int) (lists []listEntries, ok bool) {
	var cur *listEntries
	closeList := func() {
		if cur != nil {
			if len(cur.starts) > chunk {
				lists = append(lists, *cur)
			}
			cur = nil
		}
	}
	for i := range lines.n() {
		t := bytes.TrimRight(lines.line(i), " \r")
		if len(t) == 0 {
			continue
		}
		ind := len(t) - len(bytes.TrimLeft(t, " "))
		if t[ind] == '#' {
			continue
		}
		if ind == 0 && (bytes.HasPrefix(t, []byte("---")) || bytes.HasPrefix(t, []byte("...")) || t[0] == '%') {
			return nil, false
		}
		item := len(t) == ind+1 && t[ind] == '-' || bytes.HasPrefix(t[ind:], []byte("- "))
		if cur != nil {
			switch {
			case cur.indent < 0 && item:
				cur.indent = ind
				cur.starts = append(cur.starts, i)
				continue
			case cur.indent < 0:
				cur = nil // not a block list
			case ind == cur.indent && item:
				cur.starts = append(cur.starts, i)
				continue
			case ind > cur.indent:
				continue
			case ind > 0:
				return nil, false
			}
		}
		if ind > 0 {
			continue
		}
		if item {
			return nil, false // the file is a list, or a section's list is not followed
		}
		closeList()
		switch k := string(t); k {
		case "organisations:", "services:", "dependencies:":
			cur = &listEntries{key: strings.TrimSuffix(k, ":"), indent: -1}
		}
	}
	closeList()
	return lists, true
}

// cutsOf chooses the lines at which list l is cut: each the first line of
// an entry with no blank line or comment between it and the line before,
// nor on either; the first at least chunk entries in, each next at least
// chunk entries after the one before, the last as late as it can be. The
// text of the file from the first cut to the last is formatted a run at a
// time.
func cutsOf(lines textLines, l listEntries, chunk int) []int {
	// Neither line at a cut holds a '#' (a comment, or text that may hold
	// one), since yaml.v3 places a comment by what comes next to it.
	can := func(k int) bool {
		prev := bytes.TrimSpace(lines.line(l.starts[k] - 1))
		return len(prev) > 0 && bytes.IndexByte(prev, '#') < 0 && bytes.IndexByte(lines.line(l.starts[k]), '#') < 0
	}
	last := -1
	for k := len(l.starts) - 1; k > chunk; k-- {
		if can(k) {
			last = k
			break
		}
	}
	if last < 0 {
		return nil
	}
	var cuts []int
	next := chunk
	for k := chunk; k < last; k++ {
		if k >= next && can(k) {
			cuts = append(cuts, l.starts[k])
			next = k + chunk
		}
	}
	if len(cuts) == 0 {
		return nil
	}
	return append(cuts, l.starts[last])
}

// shared reports whether a tree holds an anchor or an alias.
func shared(n *yaml.Node) bool {
	if n.Anchor != "" || n.Kind == yaml.AliasNode {
		return true
	}
	for _, c := range n.Content {
		if shared(c) {
			return true
		}
	}
	return false
}
