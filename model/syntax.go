package model

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// yaml.v3 reports a syntax error at the line where the construct it was
// reading began, which is often a line or more before the mistake: a tab on
// line 8 is reported at line 7, an unclosed "[" at the line before it. So
// the loader looks at the source itself, for the mistakes users make
// (tabs, quotes, brackets, indentation, a missing colon or comma), and
// reports the first one it sees at or after yaml.v3's line, at its column.

// mistake is a syntax mistake seen in the source.
type mistake struct {
	pos       Pos
	msg, hint string
}

var anchorName = regexp.MustCompile(`unknown anchor '([^']*)'`)

// findMistake returns the mistake behind a YAML syntax error that yaml.v3
// reported with msg at line (0 if it gave none).
func findMistake(src []byte, msg string, line int) (mistake, bool) {
	lines := strings.Split(string(src), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	switch {
	case anchorName.MatchString(msg):
		name := anchorName.FindStringSubmatch(msg)[1]
		return findAlias(lines, name)
	case strings.Contains(msg, "tab") || strings.Contains(msg, "cannot start any token"):
		if m, ok := findTab(lines, max(line, 1)); ok {
			return m, true
		}
	}
	// yaml.v3 names the line where the construct it was reading began, or
	// now and then a line or two after the mistake; the first mistake seen
	// from a little before that line on is the one.
	for _, m := range scanMistakes(lines) {
		if m.pos.Line >= line-2 {
			return m, true
		}
	}
	return mistake{}, false
}

// findAlias finds the first use of the alias *name.
func findAlias(lines []string, name string) (mistake, bool) {
	for i, l := range lines {
		for j := 0; j < len(l); {
			k := strings.Index(l[j:], "*"+name)
			if k < 0 {
				break
			}
			k += j
			end := k + 1 + len(name)
			if end == len(l) || strings.IndexByte(" \t,]}", l[end]) >= 0 {
				return mistake{Pos{Line: i + 1, Column: column(l, k)}, "alias *" + name + " names no anchor",
					"define the anchor with &" + name + " before using *" + name}, true
			}
			j = k + 1
		}
	}
	return mistake{}, false
}

// findTab finds the first tab in a line's indentation from line from on.
func findTab(lines []string, from int) (mistake, bool) {
	for i := from - 1; i < len(lines); i++ {
		l := lines[i]
		ws := len(l) - len(strings.TrimLeft(l, " \t"))
		if t := strings.IndexByte(l[:ws], '\t'); t >= 0 {
			return mistake{Pos{Line: i + 1, Column: column(l, t)}, "a tab in the indentation", "indent with spaces: YAML does not allow tabs"}, true
		}
	}
	return mistake{}, false
}

func column(line string, byteOffset int) int {
	return utf8.RuneCountInString(line[:byteOffset]) + 1
}

// columns finds the columns of byte offsets of one line that rise (almost
// always), counting only the runes since the last.
type columns struct {
	line     string
	off, col int
}

func (c *columns) at(b int) int {
	if b < c.off {
		c.off, c.col = 0, 1
	}
	c.col += utf8.RuneCountInString(c.line[c.off:b])
	c.off = b
	return c.col
}

// level is one open block: a mapping or a sequence at an indentation.
type level struct {
	indent  int
	seq     bool
	compact bool // a sequence at the indentation of the key that holds it
}

type opener struct {
	pos    Pos
	ch     byte
	indent int // the indentation of the line it is on
	colon  bool
}

// scanMistakes returns the mistakes it sees in the lines, in file order.
// It knows enough YAML for the files users write: block mappings and
// sequences, flow collections, quoted and plain scalars, comments and block
// scalars. A valid file yields nothing.
func scanMistakes(lines []string) []mistake {
	var out []mistake
	var levels []level
	var flow []opener
	var quote *opener    // an open multi-line quoted scalar
	opens := true        // the line before opens a block
	block := -1          // inside a block scalar: the indentation of its key
	blockIndent := -1    // the indentation of its first line
	var pending *mistake // a list item that may lack its key's colon
	for i, l := range lines {
		n := i + 1
		body := strings.TrimLeft(l, " ")
		indent := len(l) - len(body)
		blank := strings.TrimSpace(body) == "" || strings.HasPrefix(body, "#")
		if block >= 0 {
			if strings.TrimSpace(body) == "" {
				continue
			}
			if blockIndent < 0 && indent > block {
				blockIndent = indent
			}
			if indent >= blockIndent && blockIndent >= 0 {
				continue
			}
			if indent > block {
				out = append(out, mistake{Pos{Line: n, Column: indent + 1}, "a line of a block text indented less than its first line",
					"indent every line of the text at least as far as its first line"})
				block, blockIndent = -1, -1
				continue
			}
			block, blockIndent = -1, -1
		}
		if strings.HasPrefix(body, "\t") {
			// Tabs are reported by findTab, for errors that name them.
			levels, flow, quote, opens = nil, nil, nil, true
			continue
		}
		if quote != nil && !blank && indent <= quote.indent {
			out = append(out, mistake{quote.pos, "a quote is not closed", "close the quote opened here"})
			quote = nil
		}
		if len(flow) > 0 && !blank && indent <= flow[0].indent && quote == nil && !strings.ContainsAny(body[:1], "]}") {
			o := flow[len(flow)-1]
			out = append(out, mistake{o.pos, quoted(string(o.ch)) + " is not closed", "close the " + string(o.ch) + " opened here with " + closer(o.ch)})
			flow = nil
		}
		if blank && quote == nil {
			continue
		}
		start := 0
		if quote == nil && len(flow) == 0 {
			if strings.HasPrefix(body, "---") || strings.HasPrefix(body, "...") || strings.HasPrefix(body, "%") {
				levels, opens = nil, true
				continue
			}
			if strings.HasPrefix(body, "-\t") {
				out = append(out, mistake{Pos{Line: n, Column: indent + 2}, `a tab after "-"`,
					`put a space after "-", and indent with spaces: YAML does not allow tabs there`})
				levels, flow, quote, opens, pending = nil, nil, nil, true, nil
				continue
			}
			item := body == "-" || strings.HasPrefix(body, "- ")
			m, ok := checkIndent(&levels, n, indent, item, opens, body)
			if ok {
				if pending != nil && m.msg == deeper {
					m = *pending // "- id gstt" followed by "kind: trust"
				}
				out = append(out, m)
				levels, flow, opens, pending = nil, nil, true, nil
				continue
			}
			pending = nil
			at := indent
			if item {
				at = indent + len(body) - len(strings.TrimLeft(body[1:], " "))
				pending = noColon(l, n, at)
			}
			if m := noSpace(l, n, at); m != nil {
				out = append(out, *m)
			}
			start = indent
		}
		var seen []mistake
		var scalar bool
		opens, scalar, seen = scanLine(l, n, start, indent, &flow, &quote)
		opens = opens || strings.TrimSpace(strings.SplitN(body, " #", 2)[0]) == "-"
		out = append(out, seen...)
		if scalar {
			block = indent
			if strings.HasPrefix(body, "- ") {
				block = indent + 1
			}
		}
	}
	if quote != nil {
		out = append(out, mistake{quote.pos, "a quote is not closed", "close the quote opened here"})
	} else if len(flow) > 0 {
		o := flow[len(flow)-1]
		out = append(out, mistake{o.pos, quoted(string(o.ch)) + " is not closed", "close the " + string(o.ch) + " opened here with " + closer(o.ch)})
	}
	return out
}

func closer(ch byte) string {
	if ch == '[' {
		return "]"
	}
	return "}"
}

// checkIndent checks a line's indentation against the open blocks, and a
// line of a mapping for its colon.
func checkIndent(levels *[]level, n, indent int, item, opens bool, body string) (mistake, bool) {
	ls := *levels
	pos := Pos{Line: n, Column: indent + 1}
	innermost := -1
	if len(ls) > 0 {
		innermost = ls[len(ls)-1].indent
	}
	for len(ls) > 0 && ls[len(ls)-1].indent > indent {
		ls = ls[:len(ls)-1]
	}
	if len(ls) > 0 {
		top := ls[len(ls)-1]
		switch {
		case indent > innermost && !opens:
			*levels = ls
			if item || hasKey(body) {
				return mistake{pos, deeper, "line it up with the keys or list items it belongs with"}, true
			}
			return mistake{}, false // a plain value continued on a deeper line
		case indent > innermost:
			ls = append(ls, level{indent: indent, seq: item})
		case top.indent < indent:
			*levels = ls
			return mistake{pos, "the indentation of this line matches no line above",
				"line it up with the keys or list items it belongs with"}, true
		case top.compact && !item:
			ls = ls[:len(ls)-1] // the compact sequence ends; the mapping goes on
			top = ls[len(ls)-1]
			fallthrough
		default:
			if top.seq && !item {
				*levels = ls
				return mistake{pos, "this line is at the indentation of a list but is no list item",
					`start it with "- ", or indent it further if it continues the value above`}, true
			}
			if !top.seq && item {
				if !opens {
					*levels = ls
					return mistake{pos, "a list item among the keys of a mapping", "check the indentation of this line and the ones above"}, true
				}
				ls = append(ls, level{indent: indent, seq: true, compact: true})
			}
		}
	} else {
		ls = append(ls, level{indent: indent, seq: item})
	}
	content := body
	if item {
		content = strings.TrimLeft(strings.TrimPrefix(body, "-"), " ")
		if content != "" && !strings.HasPrefix(content, "#") {
			ls = append(ls, level{indent: indent + len(body) - len(content)})
			if !hasKey(content) && !strings.HasPrefix(content, "- ") {
				ls = ls[:len(ls)-1] // a scalar item
			}
		}
	} else if content == ":" || strings.HasPrefix(content, ": ") {
		*levels = ls
		return mistake{pos, "a colon with no key before it", "write the key before the colon, or remove the colon"}, true
	} else if !hasKey(content) && !strings.HasPrefix(content, "? ") && content != "?" {
		if m := noColon(strings.Repeat(" ", indent)+body, n, indent); m != nil {
			*levels = ls
			return *m, true
		}
	}
	*levels = ls
	return mistake{}, false
}

const deeper = "this line is indented deeper than the line above allows"

// noColon returns the mistake of a line whose content, from byte at, reads
// as a key and a value with the colon left out ("kind trust"), or nil.
func noColon(l string, n, at int) *mistake {
	if at >= len(l) {
		return nil
	}
	content := strings.SplitN(l[at:], " #", 2)[0]
	if hasKey(content) || strings.ContainsAny(content[:1], `"'[{|>&*!#-?`) {
		return nil
	}
	sp := strings.IndexAny(content, " \t")
	if sp <= 0 || strings.TrimSpace(content[sp:]) == "" {
		return nil
	}
	return &mistake{Pos{Line: n, Column: column(l, at)}, "a key with no colon",
		`write a key, a colon and a space before the value, such as "` + content[:sp] + `: ` + strings.TrimSpace(content[sp+1:]) + `"`}
}

// keyNoSpace is a line's content that reads as a key and a value with no
// space after the colon ("kind:ambulance"), which YAML takes for one word.
var keyNoSpace = regexp.MustCompile(`^([a-z_][a-z0-9_]*):([^\s:/#][^\s#]*(?: [^#]*)?)$`)

// noSpace returns the mistake of a line whose content, from byte at, is a
// key and a value with no space after the colon, or nil.
func noSpace(l string, n, at int) *mistake {
	if at >= len(l) {
		return nil
	}
	content := strings.TrimRight(strings.SplitN(l[at:], " #", 2)[0], " ")
	sub := keyNoSpace.FindStringSubmatch(content)
	if sub == nil || hasKey(content) {
		return nil
	}
	return &mistake{Pos{Line: n, Column: column(l, at+len(sub[1])+1)}, "no space after the colon",
		`write a space after the colon, such as "` + sub[1] + `: ` + sub[2] + `": without one, YAML reads "` + content + `" as one word`}
}

// hasKey reports whether a line's content starts with "key:" outside quotes.
func hasKey(content string) bool {
	if content == "" {
		return false
	}
	if c := content[0]; c == '"' || c == '\'' {
		end := closingQuote(content, 1, c)
		if end < 0 {
			return false
		}
		rest := strings.TrimLeft(content[end+1:], " ")
		return strings.HasPrefix(rest, ":")
	}
	if strings.ContainsAny(content[:1], "[{") {
		return false
	}
	for j := 0; j < len(content); j++ {
		switch content[j] {
		case ':':
			if j+1 == len(content) || content[j+1] == ' ' || content[j+1] == '\t' {
				return true
			}
		case '#':
			if j > 0 && content[j-1] == ' ' {
				return false
			}
		}
	}
	return false
}

// closingQuote returns the index of the quote that closes one opened before
// from, or -1.
func closingQuote(s string, from int, q byte) int {
	for j := from; j < len(s); j++ {
		switch {
		case q == '"' && s[j] == '\\':
			j++
		case s[j] == q && q == '\'' && j+1 < len(s) && s[j+1] == '\'':
			j++
		case s[j] == q:
			return j
		}
	}
	return -1
}

// scanLine reads one line from byte start for quotes, brackets and colons.
// It returns whether the line opens a block (ends with a key's colon) and
// whether it starts a block scalar (| or >).
func scanLine(l string, n, start, indent int, flow *[]opener, quote **opener) (opens, blockScalar bool, out []mistake) {
	cols := columns{line: l, col: 1}
	column := func(_ string, b int) int { return cols.at(b) } // linear on a long line, where counting from its start was not
	tokenStart := true
	keyColon := false // a key's colon has been seen on this line (block context)
	last := byte(0)   // the last significant character
	j := start
	if q := *quote; q != nil {
		end := closingQuote(l, j, q.ch)
		if end < 0 {
			return false, false, nil
		}
		*quote = nil
		j = end + 1
		tokenStart = false
		last = q.ch
	}
	for j < len(l) {
		c := l[j]
		switch {
		case c == ' ' || c == '\t':
			j++
			continue
		case c == '#' && (j == 0 || l[j-1] == ' ' || l[j-1] == '\t'):
			j = len(l)
			continue
		case tokenStart && (c == '"' || c == '\''):
			end := closingQuote(l, j+1, c)
			if end < 0 {
				*quote = &opener{pos: Pos{Line: n, Column: column(l, j)}, ch: c, indent: indent}
				return false, false, out
			}
			k := end + 1
			for k < len(l) && l[k] == ' ' {
				k++
			}
			if k < len(l) && !strings.ContainsRune(":,]}#", rune(l[k])) {
				out = append(out, mistake{Pos{Line: n, Column: column(l, j)}, "text after the closing quote",
					"a quoted value ends at its closing quote: quote the whole value, or none of it"})
				return false, false, out
			}
			j, tokenStart, last = end+1, false, c
			continue
		case tokenStart && (c == '[' || c == '{'):
			*flow = append(*flow, opener{pos: Pos{Line: n, Column: column(l, j)}, ch: c, indent: indent})
			j, last = j+1, c
			continue
		case c == ']' || c == '}':
			fs := *flow
			if len(fs) == 0 || closer(fs[len(fs)-1].ch)[0] != c {
				hint := "remove it, or open a matching bracket before it"
				if len(fs) > 0 {
					hint = "close the " + string(fs[len(fs)-1].ch) + " opened at line " + strconv.Itoa(fs[len(fs)-1].pos.Line) + " with " + closer(fs[len(fs)-1].ch)
				}
				out = append(out, mistake{Pos{Line: n, Column: column(l, j)}, "a closing " + string(c) + " with nothing to close", hint})
				*flow = nil
				return false, false, out
			}
			*flow = fs[:len(fs)-1]
			j, tokenStart, last = j+1, false, c
			continue
		case c == ',' && len(*flow) > 0:
			(*flow)[len(*flow)-1].colon = false
			j, tokenStart, last = j+1, true, c
			continue
		case c == ':' && (j+1 == len(l) || l[j+1] == ' ' || l[j+1] == '\t' || (len(*flow) > 0 && strings.IndexByte(",]}", l[j+1]) >= 0)):
			if fs := *flow; len(fs) > 0 {
				top := &fs[len(fs)-1]
				if top.ch == '{' && top.colon {
					w := strings.LastIndexAny(l[:j], " ,{") + 1
					out = append(out, mistake{Pos{Line: n, Column: column(l, w)}, "a comma is missing before " + quoted(l[w:j]),
						"separate the entries of {…} with commas"})
					*flow = nil
					return false, false, out
				}
				top.colon = true
			} else if keyColon {
				out = append(out, mistake{Pos{Line: n, Column: column(l, j)}, `": " inside a plain value`,
					`quote the value: a ": " inside it reads as a new key`})
				return false, false, out
			} else {
				keyColon = true
			}
			j, tokenStart, last = j+1, true, c
			continue
		case tokenStart && (c == '&' || c == '!'):
			// An anchor or a tag: the value follows it.
			for j < len(l) && l[j] != ' ' {
				j++
			}
			continue
		case c == '-' && tokenStart && (j+1 == len(l) || l[j+1] == ' '):
			j, last = j+1, c
			continue
		case tokenStart && (c == '|' || c == '>') && len(*flow) == 0:
			rest := strings.TrimRight(strings.SplitN(l[j+1:], " #", 2)[0], " ")
			if strings.Trim(rest, "+-0123456789") == "" {
				return false, true, out
			}
		}
		// A plain scalar or other token: read to its end.
		tokenStart = false
		last = c
		j++
	}
	return last == ':' && len(*flow) == 0, false, out
}

func quoted(s string) string { return `"` + s + `"` }
