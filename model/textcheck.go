package model

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/blastradius/blastradius/internal/textsafe"
	"go.yaml.in/yaml/v3"
)

// Text from a model (names, notes, descriptions, reasons, units) is shown in
// terminals, CI logs, pull-request comments and pages. A character that
// changes how the text around it is shown (a control character such as ESC,
// a bidirectional override, a zero-width character) could rewrite what a
// reviewer reads, so the loader refuses it where it is written. Newlines
// and tabs are allowed only in notes and descriptions written as block
// text (| or >).

// multiline names the keys whose block text may hold newlines and tabs.
var multiline = map[string]bool{"note": true, "description": true}

// checkText reports the first character of s, the value of n, that changes
// how text is shown, at the line and column where it is written.
func (p *parser) checkText(n *yaml.Node, s, what string) {
	d := deref(n)
	lines := multiline[what] && (d.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0)
	i, r := textsafe.Find(s, lines)
	if i < 0 {
		return
	}
	pos := p.runePos(d, utf8.RuneCountInString(s[:i]), r)
	hint := "delete it: it is invisible, or moves the text around it; retype the text if unsure where it is"
	switch {
	case r == '\n' || r == '\t':
		hint = "write it on one line"
		if multiline[what] {
			hint = "write it on one line, or as block text after | or >"
		}
	case p.escapedAt(pos):
		hint = `delete the escape that writes it, such as \e, \x1b or \u202e`
	}
	p.add(SevError, pos, fmt.Sprintf("%s holds the character %s, which changes how text around it is shown", what, textsafe.Name(r)), hint)
}

// escapedAt reports whether the source at pos is a backslash: the
// character is written as an escape of a double-quoted string.
func (p *parser) escapedAt(pos Pos) bool {
	off := lineOffset(p.src, pos.Line)
	if off < 0 {
		return false
	}
	for col := 1; col < pos.Column && off < len(p.src); col++ {
		_, size := utf8.DecodeRune(p.src[off:])
		off += size
	}
	return off < len(p.src) && p.src[off] == '\\'
}

// runePos finds where the k-th character of a scalar's value, r, is
// written: walking a double-quoted scalar's escapes, or finding r itself in
// the source of any other. It falls back to the scalar's own position.
func (p *parser) runePos(n *yaml.Node, k int, r rune) Pos {
	start := Pos{Line: n.Line, Column: n.Column}
	if p.src == nil || n.Line < 1 {
		return start
	}
	off := lineOffset(p.src, n.Line)
	if off < 0 {
		return start
	}
	line, col := n.Line, 1
	// Move to the scalar's column.
	for col < n.Column && off < len(p.src) && p.src[off] != '\n' {
		_, size := utf8.DecodeRune(p.src[off:])
		off, col = off+size, col+1
	}
	if n.Style&yaml.DoubleQuotedStyle != 0 {
		if pos, ok := quotedPos(p.src[off:], line, col, k); ok {
			return pos
		}
		return start
	}
	// Plain, single-quoted and block text hold the character as it is.
	raw := []byte(string(r))
	for off < len(p.src) {
		if bytes.HasPrefix(p.src[off:], raw) {
			return Pos{Line: line, Column: col}
		}
		c, size := utf8.DecodeRune(p.src[off:])
		off += size
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return start
}

// quotedPos walks a double-quoted scalar from its opening quote and
// returns where its k-th decoded character is written.
func quotedPos(src []byte, line, col, k int) (Pos, bool) {
	if len(src) == 0 || src[0] != '"' {
		return Pos{}, false
	}
	i, col := 1, col+1
	for n := 0; i < len(src); n++ {
		at := Pos{Line: line, Column: col}
		c, size := utf8.DecodeRune(src[i:])
		switch {
		case c == '"':
			return Pos{}, false
		case c == '\\' && i+1 < len(src):
			e := src[i+1]
			width := 2
			switch e {
			case 'x':
				width = 4
			case 'u':
				width = 6
			case 'U':
				width = 10
			case '\n':
				// An escaped line break writes nothing.
				i, line, col = i+2, line+1, 1
				for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
					i, col = i+1, col+1
				}
				n--
				continue
			}
			if n == k {
				return at, true
			}
			i, col = i+width, col+width
			continue
		case c == '\n':
			// A line break folds into one space; leading blanks go.
			if n == k {
				return at, true
			}
			i, line, col = i+1, line+1, 1
			for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
				i, col = i+1, col+1
			}
			continue
		}
		if n == k {
			return at, true
		}
		i, col = i+size, col+1
	}
	return Pos{}, false
}

// lineOffset is the byte offset where a line (from 1) starts, or -1.
func lineOffset(src []byte, line int) int {
	off := 0
	for l := 1; l < line; l++ {
		j := bytes.IndexByte(src[off:], '\n')
		if j < 0 {
			return -1
		}
		off += j + 1
	}
	return off
}
