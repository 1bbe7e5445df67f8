package model_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/internal/synth"
	"github.com/blastradius/blastradius/model"
)

// stripPositions zeroes where things were written, so that two models can be
// compared by what they say.
func stripPositions(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			stripPositions(v.Elem())
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			stripPositions(v.Index(i))
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			switch v.Type().Field(i).Name {
			case "Pos", "Fields", "AlternativePos", "Warnings":
				v.Field(i).SetZero()
			default:
				if v.Field(i).CanSet() {
					stripPositions(v.Field(i))
				}
			}
		}
	}
}

func said(t *testing.T, m *model.Model) string {
	t.Helper()
	stripPositions(reflect.ValueOf(m))
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFormatExamples checks, on every example, that fmt is idempotent, that
// the formatted file parses to the same model, and that the examples are
// formatted already ("blastradius fmt --check examples" passes).
func TestFormatExamples(t *testing.T) {
	files, _ := filepath.Glob("../examples/*.yaml")
	widened, _ := filepath.Glob("../testdata/widened/*.yaml")
	files = append(files, widened...)
	if len(files) < 5 {
		t.Fatalf("found %d examples", len(files))
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if chunked, whole, _ := model.EncodeBoth(src); chunked != whole {
			t.Errorf("%s: written a chunk at a time:\n%s\n--- and whole:\n%s", f, chunked, whole)
		}
		once := format(t, f, src)
		if twice := format(t, f, once); string(twice) != string(once) {
			t.Errorf("%s: fmt is not idempotent", f)
		}
		if strings.Contains(f, "examples") && string(once) != string(src) {
			t.Errorf("%s is not formatted: run blastradius fmt %s", f, strings.TrimPrefix(f, "../"))
		}
		a, err := model.Parse(f, src)
		if err != nil {
			t.Fatal(err)
		}
		b, err := model.Parse(f, once)
		if err != nil {
			t.Fatalf("%s: the formatted file does not parse: %v", f, err)
		}
		if said(t, a) != said(t, b) {
			t.Errorf("%s: the formatted file says something else", f)
		}
	}
	// The scenarios file, checked against the model it is written for.
	m, err := model.Load("../examples/synnovis-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile("../examples/policies/standards.yaml")
	once := format(t, "standards.yaml", src)
	if string(once) != string(src) {
		t.Errorf("examples/policies/standards.yaml is not formatted")
	}
	if _, err := model.ParseScenarios(m, "standards.yaml", once, model.Limits{}); err != nil {
		t.Error(err)
	}
}

func format(t *testing.T, name string, src []byte) []byte {
	t.Helper()
	out, err := model.Format(name, src)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return out
}

const messy = `# The opening comment stays at the top.
dependencies:
  - type: service
    to: b
    from: a   # why
  - to: b
    from: c
    type: data
    critical: false
organisations:
  - kind: trust
    id: a
    controls:
      - mfa
      - edr

  # the supplier
  - {kind: supplier, id: b}


  - id: c
    kind: trust
version: 1
name: "Messy"
description: |
  Line one
    indented
  Line three
x-defaults: &d {kind: trust}
scenarios:
  - compromise:
      - b
    name: one
    expect: {spares: [c], reaches: [a]}
    assume:
      remove: [{to: b, from: c}]
policies:
  exceptions:
    - until: 2027-01-01
      rule: require_controls
      reason: because
      id: b
  require_controls: {supplier: [mfa]}
`

const tidy = `# The opening comment stays at the top.
version: 1
name: "Messy"
description: |
  Line one
    indented
  Line three
x-defaults: &d {kind: trust}
organisations:
  - id: a
    kind: trust
    controls: [mfa, edr]

  # the supplier
  - {id: b, kind: supplier}

  - id: c
    kind: trust
dependencies:
  - from: a # why
    to: b
    type: service
  - {from: c, to: b, type: data, critical: false}
scenarios:
  - name: one
    compromise: [b]
    assume:
      remove: [{from: c, to: b}]
    expect: {reaches: [a], spares: [c]}
policies:
  require_controls: {supplier: [mfa]}
  exceptions:
    - {rule: require_controls, id: b, reason: because, until: 2027-01-01}
`

func TestFormatLayout(t *testing.T) {
	got := string(format(t, "messy.yaml", []byte(messy)))
	if got != tidy {
		t.Errorf("got\n%s\nwant\n%s", got, tidy)
	}
	a, _ := model.Parse("m.yaml", []byte(messy))
	b, _ := model.Parse("m.yaml", []byte(got))
	if a == nil || b == nil || said(t, a) != said(t, b) {
		t.Error("the formatted file says something else")
	}
}

func TestFormatKeepsLongEntriesAsBlocks(t *testing.T) {
	src := "version: 1\ndependencies:\n  - from: a\n    to: b\n    type: service\n    note: " + strings.TrimSpace(strings.Repeat("long ", 30)) + "\n"
	if got := string(format(t, "long.yaml", []byte(src))); got != src {
		t.Errorf("a dependency wider than %d columns became:\n%s", model.FormatWidth, got)
	}
}

// TestFormatKeepsBlockTextInEntries: a dependency or an exception whose
// note or reason is block text stays a block, its text as written (it was
// made a flow line around the text's place-holder, and refused).
func TestFormatKeepsBlockTextInEntries(t *testing.T) {
	src := "version: 1\ndependencies:\n  - from: a\n    to: b\n    note: |\n      two\n      lines\n  - {from: d, to: a}\n" +
		"policies:\n  exceptions:\n    - rule: require_controls\n      id: b\n      reason: >\n        folded\n        reason\n"
	if got := string(format(t, "block.yaml", []byte(src))); got != src {
		t.Errorf("became:\n%s", got)
	}
}

// TestFormatCRLF: a file saved with CRLF line endings is formatted as the
// same file with LF, in pieces or whole: no blank line appears between the
// lines of a comment.
func TestFormatCRLF(t *testing.T) {
	for name, src := range map[string]string{"tidy": tidy, "pieceable": pieceable} {
		lf := format(t, name, []byte(src))
		if got := format(t, name, []byte(strings.ReplaceAll(src, "\n", "\r\n"))); string(got) != string(lf) {
			t.Errorf("%s with CRLF:\n%s\n--- with LF:\n%s", name, got, lf)
		}
		if pieces, whole, _ := model.FormatBoth([]byte(strings.ReplaceAll(src, "\n", "\r\n")), 1); pieces != "" && pieces != whole {
			t.Errorf("%s with CRLF, in pieces:\n%s\n--- whole:\n%s", name, pieces, whole)
		}
	}
}

func TestFormatErrorsHavePositions(t *testing.T) {
	for _, src := range []string{"version: 1\norganisations: [\n", "- a\n- b\n---\n- c\n", "\x00"} {
		_, err := model.Format("bad.yaml", []byte(src))
		var list model.ErrorList
		if err == nil || !asList(err, &list) || len(list) == 0 || list[0].Pos.Line == 0 {
			t.Errorf("Format(%q): %v, want an error with a line", src, err)
		}
	}
}

func asList(err error, list *model.ErrorList) bool {
	l, ok := err.(model.ErrorList)
	*list = l
	return ok
}

// FuzzFormat checks that Format never panics and, when it succeeds, is
// idempotent.
func FuzzFormat(f *testing.F) {
	f.Add([]byte(messy))
	f.Add([]byte(tidy))
	f.Add([]byte(timed))
	for _, p := range []string{"../examples/wirral-2024.yaml", "../examples/policies/standards.yaml"} {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("a: &x [1]\nb: *x\n"))
	f.Add([]byte(pieceable))
	f.Add([]byte(strings.Replace(pieceable, "  - {from: c, to: a", "  # a comment\n  - {from: c, to: a", 1)))
	f.Add([]byte("version: 1\ndescription: >\n  folded\n  text\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if chunked, whole, ok := model.EncodeBoth(src); ok && chunked != whole {
			t.Fatalf("written a chunk at a time:\n%s\n--- and whole:\n%s", chunked, whole)
		}
		for _, chunk := range []int{1, 2} {
			if pieces, whole, ok := model.FormatBoth(src, chunk); ok && pieces != whole {
				t.Fatalf("formatted %d entries at a time:\n%s\n--- and whole:\n%s", chunk, pieces, whole)
			}
		}
		out, err := model.Format("fuzz.yaml", src)
		if err != nil {
			return
		}
		again, err := model.Format("fuzz.yaml", out)
		if err != nil {
			t.Fatalf("the formatted text does not format: %v\n%s", err, out)
		}
		if string(again) != string(out) {
			t.Fatalf("not idempotent:\n%s\n---\n%s", out, again)
		}
		// A model that loads loads the same once formatted.
		if a, err := model.Parse("fuzz.yaml", src); err == nil {
			b, err := model.Parse("fuzz.yaml", out)
			if err != nil {
				t.Fatalf("the formatted model does not load: %v\n%s", err, out)
			}
			if said(t, a) != said(t, b) {
				t.Fatalf("the formatted model says something else:\n%s\n---\n%s", src, out)
			}
		}
	})
}

// pieceable has lists long enough to be formatted a few entries at a time,
// with what a cut must not separate: blank lines, comments, block text.
const pieceable = `version: 1
dependencies:
  - type: service
    to: b
    from: a   # why
  - {to: b, from: c, type: data}
  - {from: a, to: c, type: network}

  - {from: c, to: a, type: access}
  - to: b
    from: a
    note: |
      two
      lines
  # above d
  - {from: d, to: a, type: service}
  - {from: d, to: b, type: service}
  - {type: data, from: d, to: c}
organisations:
- {kind: trust, id: a}
- id: b
  kind: supplier
- {id: c, kind: trust}
- {id: d, kind: trust}
# the end of the organisations
x-shared: &s {kind: trust}
services: []
`

// TestFormatInPieces: formatting a long list a few entries at a time
// writes what formatting the whole file writes, on every example and test
// file, and where the pieces decline, the file is formatted whole.
func TestFormatInPieces(t *testing.T) {
	files := map[string][]byte{"pieceable": []byte(pieceable), "messy": []byte(messy)}
	for _, glob := range []string{"../examples/*.yaml", "../examples/*/*.yaml", "../testdata/*/*.yaml", "../cmd/blastradius/testdata/*/*.yaml"} {
		names, _ := filepath.Glob(glob)
		for _, n := range names {
			if src, err := os.ReadFile(n); err == nil {
				files[n] = src
			}
		}
	}
	src, _, err := synth.Shared(synth.Options{ICBs: 1, Scale: 1, Seed: 1, Likelihoods: true, Time: true, Strain: true})
	if err != nil {
		t.Fatal(err)
	}
	files["generated"] = src
	used := 0
	for name, src := range files {
		for _, chunk := range []int{1, 2, 3, 64} {
			pieces, whole, ok := model.FormatBoth(src, chunk)
			if !ok {
				continue
			}
			used++
			if pieces != whole {
				t.Errorf("%s, %d entries at a time:\n%s\n--- whole:\n%s", name, chunk, pieces, whole)
			}
		}
	}
	if used < 40 {
		t.Errorf("the pieces applied %d times: too few to say they agree", used)
	}
	if _, _, ok := model.FormatBoth([]byte(pieceable), 1); !ok {
		t.Error("pieceable is not formatted in pieces")
	}
	// An alias in a piece, an anchor shared with one, a list at the top:
	// the file is formatted whole.
	for _, src := range []string{
		strings.Replace(pieceable, "{from: a, to: c, type: network}", "{from: a, to: c, type: network, <<: *s}", 1),
		strings.Replace(pieceable, "{from: d, to: b, type: service}", "&e {from: d, to: b, type: service}", 1),
		"- a\n- b\n- c\n- d\n",
	} {
		if _, _, ok := model.FormatBoth([]byte(src), 1); ok {
			t.Errorf("formatted in pieces:\n%s", src)
		}
	}
}

// TestFormatGenerated checks that what generate writes is formatted
// already, and that writing it a chunk at a time is writing it whole.
func TestFormatGenerated(t *testing.T) {
	src, _, err := synth.Shared(synth.Options{ICBs: 2, Scale: 1, Seed: 1, Likelihoods: true, Time: true, Strain: true})
	if err != nil {
		t.Fatal(err)
	}
	if chunked, whole, ok := model.EncodeBoth(src); !ok || chunked != whole {
		t.Fatalf("written a chunk at a time is not written whole (ok %v)", ok)
	}
	out, err := model.Format("generated.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, src) {
		t.Errorf("generate does not write the canonical layout")
	}
	// Out of order, it is formatted back to what generate wrote.
	i := bytes.Index(src, []byte("\norganisations:"))
	j := bytes.Index(src, []byte("\nservices:"))
	moved := slices.Concat(src[:i+1], src[j+1:], src[i+1:j+1])
	if out, err := model.Format("generated.yaml", moved); err != nil || !bytes.Equal(out, src) {
		t.Errorf("the sections out of order are not put back (%v)", err)
	}
}
