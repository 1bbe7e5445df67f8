package model_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// syntaxMistakes says where the mistake is in each file of the corpus of
// YAML syntax errors: the line that holds it and the column where it can be
// seen.
var syntaxMistakes = map[string]model.Pos{
	"syntax.yaml":                           {Line: 5, Column: 4},   // a key indented one space short
	"tabs.yaml":                             {Line: 3, Column: 1},   // a tab as indentation
	"syntax-tab-indent.yaml":                {Line: 8, Column: 1},   // a tab as indentation, under a mapping
	"syntax-tab-in-list.yaml":               {Line: 6, Column: 5},   // a tab after spaces
	"syntax-stray-quote.yaml":               {Line: 10, Column: 11}, // name: "Mersey Care" NHS Foundation Trust
	"syntax-single-quote.yaml":              {Line: 5, Column: 11},  // name: 'St Thomas' Hospital
	"syntax-unclosed-quote.yaml":            {Line: 4, Column: 11},  // name: "Guy's and St Thomas'
	"syntax-unclosed-bracket.yaml":          {Line: 7, Column: 15},  // controls: [mfa, segmentation
	"syntax-unclosed-bracket-eof.yaml":      {Line: 5, Column: 15},  // [ not closed by the end of the file
	"syntax-unclosed-brace.yaml":            {Line: 3, Column: 5},   // - {id: a, kind: trust
	"syntax-stray-bracket.yaml":             {Line: 5, Column: 20},  // controls: [mfa]]
	"syntax-flow-missing-comma.yaml":        {Line: 4, Column: 12},  // {id: b kind: trust}
	"syntax-colon-in-value.yaml":            {Line: 5, Column: 16},  // name: Guy's: St Thomas'
	"syntax-missing-colon.yaml":             {Line: 4, Column: 5},   // kind trust
	"syntax-list-outdented.yaml":            {Line: 5, Column: 2},   // a list item one space short
	"syntax-dedented-value.yaml":            {Line: 6, Column: 3},   // a value continued at the indentation of the list
	"syntax-block-text.yaml":                {Line: 4, Column: 2},   // a line of a folded text indented short
	"syntax-item-missing-colon.yaml":        {Line: 3, Column: 5},   // - id gstt
	"syntax-empty-key.yaml":                 {Line: 5, Column: 1},   // ": trust"
	"syntax-unknown-anchor.yaml":            {Line: 5, Column: 9},   // *trust never defined
	"syntax-tab-after-dash.yaml":            {Line: 3, Column: 4},   // "-\tid: a"
	"syntax-no-space-after-colon.yaml":      {Line: 5, Column: 10},  // kind:ambulance
	"syntax-item-no-space-after-colon.yaml": {Line: 3, Column: 8},   // - id:a
}

// syntaxHints says what the hint of some files of the corpus must say.
var syntaxHints = map[string]string{
	"syntax-tab-after-dash.yaml":            `put a space after "-"`,
	"syntax-no-space-after-colon.yaml":      `write a space after the colon, such as "kind: ambulance"`,
	"syntax-item-no-space-after-colon.yaml": `write a space after the colon, such as "id: a"`,
}

// The hint of a mistake says how to mend it.
func TestSyntaxHints(t *testing.T) {
	for name, want := range syntaxHints {
		src, err := os.ReadFile(filepath.Join("../testdata/invalid", name))
		if err != nil {
			t.Fatal(err)
		}
		_, err = model.Parse(name, src)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want a hint that says %s", name, err, want)
		}
	}
	// In a flow mapping YAML takes "kind:ambulance" for a key.
	_, err := model.Parse("flow.yaml", []byte("version: 1\norganisations:\n  - {id: a, name: A, kind:ambulance}\n"))
	var list model.ErrorList
	errors.As(err, &list)
	var all []string
	for _, e := range list {
		all = append(all, e.Error())
	}
	if !strings.Contains(strings.Join(all, "\n"), `3:22: no space after the colon in "kind:ambulance" (write a space after the colon, such as "kind: ambulance"`) {
		t.Errorf("flow mapping: %v", err)
	}
}

// Every YAML syntax error points at the line that holds the mistake, with
// the column where it can be seen.
func TestSyntaxErrorsOnTheRightLine(t *testing.T) {
	lines, cols := 0, 0
	for name, want := range syntaxMistakes {
		src, err := os.ReadFile(filepath.Join("../testdata/invalid", name))
		if err != nil {
			t.Fatal(err)
		}
		_, err = model.Parse(name, src)
		var list model.ErrorList
		if !errors.As(err, &list) || len(list) != 1 {
			t.Errorf("%s: want one error, got %v", name, err)
			continue
		}
		got := list[0].Pos
		if got.Line == want.Line {
			lines++
		}
		if got == want {
			cols++
		}
		if got != want {
			t.Errorf("%s: at %d:%d, want %d:%d: %v", name, got.Line, got.Column, want.Line, want.Column, list[0])
		}
	}
	fmt.Printf("syntax errors on the right line: %d of %d; at the right column too: %d\n", lines, len(syntaxMistakes), cols)
}

// Breaking a real model line by line in the ways users do never panics the
// loader, and every syntax error it gives has a line inside the file.
func TestSyntaxMistakesInRealModels(t *testing.T) {
	src, err := os.ReadFile("../examples/synnovis-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	edits := []func(string) string{
		func(l string) string { return "\t" + l },
		func(l string) string { return " " + l },
		func(l string) string { return strings.TrimPrefix(l, " ") },
		func(l string) string { return strings.Replace(l, ": ", `: "`, 1) },
		func(l string) string { return strings.Replace(l, ": ", `: [`, 1) },
		func(l string) string { return strings.Replace(l, ", ", " ", 1) },
		func(l string) string { return strings.Replace(l, ": ", " ", 1) },
		func(l string) string { return l + "]" },
		func(l string) string { return l + ": x" },
		func(l string) string { return strings.Replace(l, ": ", ":", 1) },
		func(l string) string { return strings.Replace(l, "- ", "-\t", 1) },
	}
	moved := 0
	for i := range lines {
		for k, edit := range edits {
			changed := append([]string{}, lines...)
			changed[i] = edit(lines[i])
			if changed[i] == lines[i] {
				continue
			}
			_, err := model.Parse("s.yaml", []byte(strings.Join(changed, "\n")))
			var list model.ErrorList
			if err == nil || !errors.As(err, &list) {
				continue
			}
			for _, e := range list {
				if !strings.HasPrefix(e.Msg, "YAML syntax") {
					continue
				}
				if e.Pos.Line < 1 || e.Pos.Line > len(lines) || e.Pos.Column < 1 {
					t.Errorf("line %d, edit %d: %v", i+1, k, e)
				}
				if e.Pos.Line == i+1 {
					moved++
				}
			}
		}
	}
	if moved == 0 {
		t.Errorf("no syntax error was reported on the edited line")
	}
}
