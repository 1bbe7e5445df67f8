package model

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The source scan sees no mistake in a valid file, whatever YAML style it
// is written in, so that it never moves a syntax error onto a good line.
func TestScanSeesNothingInValidYAML(t *testing.T) {
	files, _ := filepath.Glob("../examples/*.yaml")
	more, _ := filepath.Glob("../examples/policies/*.yaml")
	widened, _ := filepath.Glob("../testdata/widened/*.yaml")
	files = append(append(files, more...), widened...)
	srcs := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		srcs[f] = string(b)
	}
	srcs["styles"] = `version: 1
name: "Styles: all of them" # a comment: with a colon
description: >-
  A folded block: with colons, "quotes" and [brackets
  that are only text.
x-defaults: &trust {kind: trust, controls: [mfa]}
organisations:
- id: a
  kind: trust
  name: 'St Thomas'' Hospital'
- {<<: *trust, id: b,
   name: "spans
     two lines"}
-   id: c
    kind: gp-practice
    note: |
      Keys: like this
        - and this
    patients: 1_000
services:
  - id: s
    kind: epr
    note: a plain value
      continued on a deeper line
  - id: t
    kind: epr
    controls:
    - mfa
    - segmentation
dependencies: [
  {from: a, to: s, type: service},
  {from: "b", to: 's', type: data}
]
scenarios:
  -
    name: x
    compromise:
      - a
    assume: {controls: {a: [mfa]}, remove: [{from: a, to: s}]}
`
	for name, src := range srcs {
		if got := scanMistakes(strings.Split(src, "\n")); len(got) > 0 {
			t.Errorf("%s: sees %v", name, got)
		}
	}
	if _, err := Parse("styles.yaml", []byte(srcs["styles"])); err != nil && strings.Contains(err.Error(), "YAML syntax") {
		t.Errorf("the styles file is not valid YAML: %v", err)
	}
}

// A line of 200,000 "[" is scanned in linear time: columns are counted
// from the last one found, where each was counted from the line's start
// (300 KB took a minute). The ceiling is generous.
func TestScanLongLineIsLinear(t *testing.T) {
	line := strings.Repeat("[", 200_000)
	start := time.Now()
	ms := scanMistakes([]string{line})
	if d := time.Since(start); d > ceiling(time.Second) {
		t.Errorf("took %v", d)
	}
	if len(ms) != 1 || ms[0].pos.Column != 200_000 {
		t.Errorf("got %v", ms)
	}
}

// ceiling is a generous bound on a time, ten times more generous under
// -short, which .ci/run gives the race detector (it slows code several
// times over): the bound catches growth by orders, not a slow machine.
func ceiling(d time.Duration) time.Duration {
	if testing.Short() {
		return 10 * d
	}
	return d
}
