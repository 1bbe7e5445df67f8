package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/textsafe"
	"github.com/blastradius/blastradius/model"
	"github.com/blastradius/blastradius/output"
	"github.com/blastradius/blastradius/render"
)

// hostileModel is a small model whose names and notes are %s, written as a
// YAML double-quoted string; its policy fails, so check has findings.
const hostileModel = `version: 1
name: %[1]s
organisations:
  - {id: sup, name: %[1]s, kind: supplier}
  - {id: gstt, name: %[1]s, kind: trust}
  - {id: kch, name: %[1]s, kind: trust}
services:
  - {id: lims, name: %[1]s, kind: pathology, operator: sup}
dependencies:
  - {from: gstt, to: lims, type: service, note: %[1]s}
  - {from: kch, to: lims, type: service}
  - {from: lims, to: sup, type: access}
scenarios:
  - name: %[1]s
    compromise: [sup]
    expect: {max_organisations: 1, spares: [kch]}
policies:
  max_organisations: 1
`

// The two names of the issue, and one of every class of character.
var hostileNames = []string{
	"Trust \x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\ \x1b[2J",
	"ansi \x1b[31mred\x1b[0m",
	"Tr\u202eust\u2066 \u2069", "zero\u200bwidth\ufeff", "c1 \u009b2J \u0085", "bell\a del\x7f cr\rlf\n",
	"=HYPERLINK(\"http://evil\")", "-2+3", "@SUM(A1)",
}

// raw reports the first character in out that a terminal, log or page
// would obey rather than show.
func raw(out []byte) (int, rune) { return textsafe.Find(string(out), true) }

// TestHostileNamesRefused: the loader refuses every such name, where it is
// written, and nothing it prints is raw.
func TestHostileNamesRefused(t *testing.T) {
	for _, name := range hostileNames[:6] {
		src := fmt.Sprintf(hostileModel, strconv.Quote(name))
		var out, errOut bytes.Buffer
		code := run([]string{"validate", "-"}, strings.NewReader(src), &out, &errOut)
		if code != exitProblem {
			t.Errorf("%q: validate exited %d, want %d", name, code, exitProblem)
		}
		first := strings.SplitN(errOut.String(), "\n", 2)[0]
		if !strings.HasPrefix(first, "<stdin>:2:") || !strings.Contains(first, "holds the character U+") {
			t.Errorf("%q: first error %q, want one at line 2 naming the character", name, first)
		}
		if i, r := raw(errOut.Bytes()); i >= 0 {
			t.Errorf("%q: validate printed %s raw", name, textsafe.Name(r))
		}
	}
}

// poisoned is the model with every name, note and scenario name set to
// name behind the loader's back, as a library user may build one.
func poisoned(t testing.TB, name string) (*model.Model, *model.Model) {
	t.Helper()
	clean := fmt.Sprintf(hostileModel, "plain")
	old, err := model.Parse("old.yaml", []byte(clean))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := model.Parse("m.yaml", []byte(clean))
	m.Name = name
	for _, n := range m.Nodes() {
		n.Name = name + " " + n.ID
	}
	for _, d := range m.Dependencies {
		d.Note = name
	}
	m.Scenarios[0].Name = name
	return old, m
}

// writeAll runs every writer that a person or a log reads on the model.
func writeAll(t testing.TB, old, m *model.Model) map[string][]byte {
	t.Helper()
	g, err := graph.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	im, err := g.Reach([]string{"sup"}, model.Ransomware)
	if err != nil {
		t.Fatal(err)
	}
	outs := map[string][]byte{}
	var b bytes.Buffer
	writeReachText(&b, reachJSON{Impact: im, Scenario: m.Scenarios[0].Name})
	outs["reach text"] = bytes.Clone(b.Bytes())
	b.Reset()
	if err := writeJSON(&b, reachJSON{Impact: im}); err != nil {
		t.Fatal(err)
	}
	outs["reach json"] = bytes.Clone(b.Bytes())
	rk, err := g.Rank(model.Ransomware, graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	writeRankCSV(&b, rk)
	outs["rank csv"] = bytes.Clone(b.Bytes())
	drawing := render.DOT(g, render.Options{Impact: im, Scenario: m.Scenarios[0].Name})
	outs["render dot"] = drawing.DOT
	b.Reset()
	if err := render.WriteGraphML(&b, drawing.Scene); err != nil {
		t.Fatal(err)
	}
	outs["render graphml"] = bytes.Clone(b.Bytes())
	rep, err := graph.Check(m, "2026-01-01")
	if err != nil {
		t.Fatal(err)
	}
	d, err := graph.Diff(old, m, "2026-01-01")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range output.Formats {
		for what, res := range map[string]*output.Result{"check": {Report: rep}, "diff": {Delta: d}} {
			b.Reset()
			if err := f.Format(&b, res); err != nil {
				t.Fatal(err)
			}
			outs[what+" "+f.Name] = bytes.Clone(b.Bytes())
		}
	}
	return outs
}

// noneRaw fails on a character a terminal, log, spreadsheet or page would
// obey, in the bytes or, for JSON, in any string they decode to.
func noneRaw(t testing.TB, name string, outs map[string][]byte) {
	t.Helper()
	for what, out := range outs {
		if i, r := raw(out); i >= 0 {
			t.Errorf("%q: %s writes %s raw: %q", name, what, textsafe.Name(r), out[max(0, i-20):min(len(out), i+20)])
		}
		var v any
		if json.Unmarshal(out, &v) == nil {
			walkStrings(v, func(s string) {
				if i, r := textsafe.Find(s, true); i >= 0 {
					t.Errorf("%q: %s holds a JSON string with %s: %q", name, what, textsafe.Name(r), s)
				}
			})
		}
		if strings.HasSuffix(what, "csv") {
			recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
			if err != nil {
				t.Errorf("%q: %s is not CSV: %v", name, what, err)
			}
			for _, rec := range recs {
				for _, field := range rec {
					if field != "" && strings.ContainsRune("=+@\t\r", rune(field[0])) {
						t.Errorf("%q: %s has a field a spreadsheet runs: %q", name, what, field)
					}
				}
			}
		}
	}
}

func walkStrings(v any, f func(string)) {
	switch x := v.(type) {
	case string:
		f(x)
	case []any:
		for _, e := range x {
			walkStrings(e, f)
		}
	case map[string]any:
		for k, e := range x {
			f(k)
			walkStrings(e, f)
		}
	}
}

// TestHostileNamesEscaped: a model built in code with each class of
// character goes through every writer, and none comes out raw.
func TestHostileNamesEscaped(t *testing.T) {
	for _, name := range hostileNames {
		old, m := poisoned(t, name)
		outs := writeAll(t, old, m)
		noneRaw(t, name, outs)
		if !bytes.Contains(outs["reach text"], []byte(`\u`)) && textsafe.Escape(name) != name {
			t.Errorf("%q: reach text does not show the escaped name", name)
		}
	}
}

// FuzzHostileNames: whatever a name holds, no output of reach, check (every
// format), diff (every format, Markdown among them), rank --format csv or
// render --format dot carries a control character, a bidirectional control
// or a zero-width character, through the command line (where the loader
// refuses it) or through the library.
func FuzzHostileNames(f *testing.F) {
	for _, n := range hostileNames {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, name string) {
		old, m := poisoned(t, name)
		noneRaw(t, name, writeAll(t, old, m))
		src := fmt.Sprintf(hostileModel, strconv.Quote(name))
		for _, args := range [][]string{{"reach", "-", "--compromise", "sup"}, {"check", "-", "--format", "sarif"}, {"check", "-", "--format", "markdown"},
			{"rank", "-", "--format", "csv"}, {"render", "-", "--compromise", "sup", "-o", "-", "--format", "dot"}} {
			var out, errOut bytes.Buffer
			run(args, strings.NewReader(src), &out, &errOut)
			noneRaw(t, name, map[string][]byte{args[0] + " stdout": out.Bytes(), args[0] + " stderr": errOut.Bytes()})
		}
	})
}
