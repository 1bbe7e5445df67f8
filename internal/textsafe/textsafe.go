// Package textsafe keeps text from a model from taking over whatever shows
// it: a terminal, a CI log that renders ANSI sequences, a pull-request
// comment, a spreadsheet.
//
// The characters it guards against are the ones that change how the text
// around them is shown rather than showing themselves: C0 and C1 control
// characters (ESC starts terminal sequences, CR rewrites a line), DEL,
// the bidirectional embeddings, overrides, isolates and marks (the "Trojan
// Source" class, CVE-2021-42574), and zero-width characters. The model's
// loader refuses them in every name, note and description; the writers pass
// what they print through Escape or Writer, so that text built in code
// cannot carry them either.
package textsafe

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// names of the characters that have a short name people know.
var names = map[rune]string{
	0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x09: "TAB", 0x0A: "LF", 0x0B: "VT", 0x0C: "FF", 0x0D: "CR",
	0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL", 0x9B: "CSI", 0x9D: "OSC",
	0x061C: "ARABIC LETTER MARK", 0x200B: "ZERO WIDTH SPACE", 0x200C: "ZERO WIDTH NON-JOINER",
	0x200D: "ZERO WIDTH JOINER", 0x200E: "LEFT-TO-RIGHT MARK", 0x200F: "RIGHT-TO-LEFT MARK",
	0x2028: "LINE SEPARATOR", 0x2029: "PARAGRAPH SEPARATOR",
	0x202A: "LEFT-TO-RIGHT EMBEDDING", 0x202B: "RIGHT-TO-LEFT EMBEDDING", 0x202C: "POP DIRECTIONAL FORMATTING",
	0x202D: "LEFT-TO-RIGHT OVERRIDE", 0x202E: "RIGHT-TO-LEFT OVERRIDE", 0x2060: "WORD JOINER",
	0x2066: "LEFT-TO-RIGHT ISOLATE", 0x2067: "RIGHT-TO-LEFT ISOLATE", 0x2068: "FIRST STRONG ISOLATE",
	0x2069: "POP DIRECTIONAL ISOLATE", 0xFEFF: "ZERO WIDTH NO-BREAK SPACE",
}

// Unsafe reports whether r changes how the text around it is shown: a C0
// or C1 control character (newline and tab included: callers that allow
// them test for them first), DEL, a bidirectional control, a line or
// paragraph separator, or a zero-width character.
func Unsafe(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7F && r <= 0x9F:
		return true
	case r == 0x061C, r >= 0x200B && r <= 0x200F, r >= 0x2028 && r <= 0x202E,
		r >= 0x2060 && r <= 0x2064, r >= 0x2066 && r <= 0x2069, r == 0xFEFF:
		return true
	}
	return false
}

// Name names a character by its code point, and by its name where it has
// a short one: "U+001B ESC".
func Name(r rune) string {
	if n, ok := names[r]; ok {
		return fmt.Sprintf("U+%04X %s", r, n)
	}
	return fmt.Sprintf("U+%04X", r)
}

// Find returns the byte offset and the first unsafe character of s, other
// than newline and tab where lines is true, or -1.
func Find(s string, lines bool) (int, rune) {
	for i, r := range s {
		if lines && (r == '\n' || r == '\t') {
			continue
		}
		if Unsafe(r) || r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			return i, r
		}
	}
	return -1, 0
}

// Escape writes every unsafe character of s, newline and tab aside, as a
// visible escape: \u001b. Bytes that are not UTF-8 are written as \x9b.
func Escape(s string) string {
	i, _ := Find(s, true)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for len(s[i:]) > 0 {
		r, size := utf8.DecodeRuneInString(s[i:])
		b.WriteString(escapeRune(s[i:i+size], r, size))
		i += size
	}
	return b.String()
}

func escapeRune(raw string, r rune, size int) string {
	switch {
	case r == utf8.RuneError && size == 1:
		return fmt.Sprintf(`\x%02x`, raw[0])
	case r == '\n' || r == '\t' || !Unsafe(r):
		return raw
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// Line is Escape for text that must stay on one line (a CSV field, a
// workflow command, a label): newline and tab are escaped too.
func Line(s string) string {
	s = Escape(s)
	if !strings.ContainsAny(s, "\n\t") {
		return s
	}
	return strings.NewReplacer("\n", `\u000a`, "\t", `\u0009`).Replace(s)
}

// Cell makes a CSV field safe to open in a spreadsheet: a field that starts
// with =, +, -, @, tab or carriage return would be run as a formula, so it
// is written after a single quote, as OWASP advises. Numbers (a minus sign
// followed by digits) are left as they are.
func Cell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '@', '\t', '\r':
		return "'" + s
	case '-':
		if len(s) > 1 && (s[1] >= '0' && s[1] <= '9' || s[1] == '.') && !strings.ContainsAny(s, "=+@(") {
			return s
		}
		return "'" + s
	}
	return s
}

// Writer escapes, as Escape does, everything written through it. A
// character split across two writes is held until its end arrives; Close
// is not needed: a cut-off character at the very end is written escaped by
// Flush.
type Writer struct {
	w    io.Writer
	hold []byte
	buf  []byte
}

// NewWriter returns w wrapped, or w itself if it already is a Writer.
func NewWriter(w io.Writer) *Writer {
	if t, ok := w.(*Writer); ok {
		return t
	}
	return &Writer{w: w}
}

// Write escapes p and writes it; it reports len(p) when the escaped text
// was written whole.
func (t *Writer) Write(p []byte) (int, error) {
	data := p
	if len(t.hold) > 0 {
		data = append(t.hold, p...)
		t.hold = nil
	}
	if clean(data) {
		if _, err := t.w.Write(data); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	out := t.buf[:0]
	for i := 0; i < len(data); {
		c := data[i]
		if c >= 0x20 && c < 0x7F || c == '\n' || c == '\t' {
			out = append(out, c)
			i++
			continue
		}
		if c >= utf8.RuneSelf && !utf8.FullRune(data[i:]) {
			t.hold = append([]byte(nil), data[i:]...)
			break
		}
		r, size := utf8.DecodeRune(data[i:])
		out = append(out, escapeRune(string(data[i:i+size]), r, size)...)
		i += size
	}
	t.buf = out
	if _, err := t.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes a character that was cut off at the end of the last write,
// escaped.
func (t *Writer) Flush() error {
	if len(t.hold) == 0 {
		return nil
	}
	var out []byte
	for _, c := range t.hold {
		out = fmt.Appendf(out, `\x%02x`, c)
	}
	t.hold = nil
	_, err := t.w.Write(out)
	return err
}

// clean reports whether p holds nothing to escape (ASCII printable text,
// newlines and tabs, and safe UTF-8), the common case.
func clean(p []byte) bool {
	for i := 0; i < len(p); {
		c := p[i]
		if c >= 0x20 && c < 0x7F || c == '\n' || c == '\t' {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			return false
		}
		r, size := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && size <= 1 || Unsafe(r) {
			return false
		}
		i += size
	}
	return true
}

// JSON rewrites every string of a JSON text that holds an unsafe character
// (written raw, or escaped as \u001b or \r) so that it holds the visible escape
// instead: "a\u001bb" becomes "a\\u001bb". A program reading the JSON then
// gets the text a person should see, and a page that shows the string
// shows \u001b rather than obeying it. Strings with nothing to escape are
// left byte for byte as they were; text that is not JSON is returned as it
// is.
func JSON(b []byte) []byte {
	if !suspect(b) {
		return b
	}
	var out []byte
	last := 0
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		end := stringEnd(b, i)
		if end < 0 {
			break
		}
		lit := b[i : end+1]
		if suspect(lit) {
			var s string
			if json.Unmarshal(lit, &s) == nil {
				if e := Escape(s); e != s {
					enc, _ := json.Marshal(e)
					out = append(out, b[last:i]...)
					out = append(out, enc...)
					last = end + 1
				}
			}
		}
		i = end
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// stringEnd is the index of the quote that closes the JSON string opened at
// b[i], or -1.
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j
		}
	}
	return -1
}

// suspect reports whether b may hold an unsafe character: an escape that
// writes one (\u001b, \r, \b, \f), or a raw one.
func suspect(b []byte) bool {
	for _, e := range []string{`\u`, `\r`, `\b`, `\f`} {
		if bytes.Contains(b, []byte(e)) {
			return true
		}
	}
	return !clean(b)
}
