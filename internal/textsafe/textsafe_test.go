package textsafe

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile holds one character of every class the package guards against.
var hostile = []rune{0x00, 0x07, 0x08, 0x0D, 0x1B, 0x7F, 0x80, 0x85, 0x9B, 0x9D, 0x9F,
	0x061C, 0x200B, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A, 0x202E, 0x2060, 0x2066, 0x2069, 0xFEFF}

// ordinary characters that must pass untouched.
var ordinary = []rune{'a', ' ', '~', '\'', '"', '\\', 'é', 'ŵ', '—', '’', '€', '中', '😀', 0xA0, 0x2010, 0x2070}

func TestUnsafe(t *testing.T) {
	for _, r := range hostile {
		if !Unsafe(r) {
			t.Errorf("Unsafe(%s) = false", Name(r))
		}
	}
	for _, r := range ordinary {
		if Unsafe(r) {
			t.Errorf("Unsafe(%q) = true", r)
		}
	}
}

func TestName(t *testing.T) {
	for r, want := range map[rune]string{0x1B: "U+001B ESC", 0x202E: "U+202E RIGHT-TO-LEFT OVERRIDE", 0x01: "U+0001", 0x9F: "U+009F"} {
		if got := Name(r); got != want {
			t.Errorf("Name(%U) = %q, want %q", r, got, want)
		}
	}
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"Trust \x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\ \x1b[2J": `Trust \u001b]8;;http://evil\u001b\click\u001b]8;;\u001b\ \u001b[2J`,
		"ansi \x1b[31mred\x1b[0m":                                    `ansi \u001b[31mred\u001b[0m`,
		"a\u202eb\u2066c\u200bd":                                     `a\u202eb\u2066c\u200bd`,
		"line\none\ttab\r":                                           "line\none\ttab\\u000d",
		"c1 \u009b2J":                                                `c1 \u009b2J`,
		"bad \xff byte":                                              `bad \xff byte`,
		"Guy's and St Thomas' — é":                                   "Guy's and St Thomas' — é",
		"":                                                           "",
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
		if got := Line(in); strings.ContainsAny(got, "\n\t") {
			t.Errorf("Line(%q) = %q keeps a newline or tab", in, got)
		}
	}
}

func TestFind(t *testing.T) {
	if i, r := Find("ok\nline\ttab", true); i != -1 {
		t.Errorf("Find with lines found %U at %d", r, i)
	}
	if i, r := Find("ok\nline", false); i != 2 || r != '\n' {
		t.Errorf("Find = %d, %U; want 2, U+000A", i, r)
	}
	if i, r := Find("é\u202e", false); i != 2 || r != 0x202E {
		t.Errorf("Find = %d, %U; want 2, U+202E", i, r)
	}
	if i, _ := Find("keeps \uFFFD as it is", false); i != -1 {
		t.Errorf("Find refused a real U+FFFD at %d", i)
	}
}

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://evil\")": "'=HYPERLINK(\"http://evil\")",
		"+1+1":                        "'+1+1",
		"@SUM(A1)":                    "'@SUM(A1)",
		"-2+3":                        "'-2+3",
		"-1":                          "-1",
		"-0.5":                        "-0.5",
		"\tx":                         "'\tx",
		"\rx":                         "'\rx",
		"gstt":                        "gstt",
		"":                            "",
	} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
}

// Writer gives what Escape gives, however the text is cut into writes.
func TestWriterMatchesEscape(t *testing.T) {
	var all strings.Builder
	for _, r := range append(append([]rune{}, hostile...), ordinary...) {
		all.WriteString("x")
		all.WriteRune(r)
	}
	all.WriteString("\n")
	in := all.String()
	want := Escape(in)
	for cut := 1; cut <= 7; cut++ {
		var out bytes.Buffer
		w := NewWriter(&out)
		for i := 0; i < len(in); i += cut {
			if _, err := w.Write([]byte(in[i:min(i+cut, len(in))])); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if out.String() != want {
			t.Errorf("writes of %d bytes: %q, want %q", cut, out.String(), want)
		}
	}
}

func TestWriterCutOffAtEnd(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out)
	w.Write([]byte("a\xe2\x80"))
	w.Flush()
	if got := out.String(); got != `a\xe2\x80` {
		t.Errorf("got %q", got)
	}
	if NewWriter(w) != w {
		t.Error("NewWriter wrapped a Writer again")
	}
}

// FuzzEscape: nothing unsafe survives Escape, and text with nothing to
// escape comes back as it was.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"Trust \x1b[2J", "a\u202eb", "plain", "\xff\xfe", "é\n\t", "\u0085\u009b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Escape(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Escape(%q) = %q is not UTF-8", s, got)
		}
		if i, r := Find(got, true); i >= 0 {
			t.Fatalf("Escape(%q) = %q keeps %s", s, got, Name(r))
		}
		if j, _ := Find(s, true); j < 0 && utf8.ValidString(s) && got != s {
			t.Fatalf("Escape(%q) changed safe text to %q", s, got)
		}
		var out bytes.Buffer
		w := NewWriter(&out)
		half := len(s) / 2
		w.Write([]byte(s[:half]))
		w.Write([]byte(s[half:]))
		w.Flush()
		if out.String() != got {
			t.Fatalf("Writer gave %q, Escape %q", out.String(), got)
		}
	})
}

func TestJSON(t *testing.T) {
	for in, want := range map[string]string{
		`{"name":"a\u001bb","n":1}`:           `{"name":"a\\u001bb","n":1}`,
		"{\"name\":\"a\u202eb\"}":             `{"name":"a\\u202eb"}`,
		`{"name":"\u003cb\u003e","x":"\\u1"}`: `{"name":"\u003cb\u003e","x":"\\u1"}`,
		`{"name":"line\nnext"}`:               `{"name":"line\nnext"}`,
		`{"name":"\r0 findings\b\f"}`:         `{"name":"\\u000d0 findings\\u0008\\u000c"}`,
		`["plain", "text"]`:                   `["plain", "text"]`,
		`{"k\u200b":"v"}`:                     `{"k\\u200b":"v"}`,
	} {
		if got := string(JSON([]byte(in))); got != want {
			t.Errorf("JSON(%s) = %s, want %s", in, got, want)
		}
	}
}
