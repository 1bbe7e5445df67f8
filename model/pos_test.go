package model_test

import (
	"fmt"
	"testing"

	"github.com/blastradius/blastradius/model"
)

func TestPosString(t *testing.T) {
	for _, c := range []struct {
		pos   model.Pos
		valid bool
		want  string
	}{
		{model.Pos{File: "m.yaml", Line: 41, Column: 11}, true, "m.yaml:41:11"},
		{model.Pos{File: "m.yaml", Line: 3}, true, "m.yaml:3:1"},
		{model.Pos{File: "m.yaml"}, false, "m.yaml"},
		{model.Pos{Line: 2, Column: 5}, true, "2:5"},
		{model.Pos{}, false, ""},
	} {
		if got := c.pos.String(); got != c.want {
			t.Errorf("%#v.String() = %q, want %q", c.pos, got, c.want)
		}
		if got := c.pos.IsValid(); got != c.valid {
			t.Errorf("%#v.IsValid() = %v, want %v", c.pos, got, c.valid)
		}
	}
}

// Every position the loader records names the file it is in: entries,
// the values of their keys and the ids of their lists, in a model of two
// files.
func TestPositionsNameTheirFile(t *testing.T) {
	m, err := model.LoadFiles(model.Files{ReadFile: func(name string) ([]byte, error) {
		switch name {
		case "root.yaml":
			return []byte("version: 1\ninclude: [part.yaml]\norganisations:\n  - id: a\n    kind: trust\n"), nil
		case "part.yaml":
			return []byte("version: 1\nservices:\n  - id: s\n    kind: pathology\n    operator: a\ndependencies:\n  - from: a\n    to: s\n    type: service\nscenarios:\n  - name: x\n    compromise: [s]\n"), nil
		}
		return nil, fmt.Errorf("no file %s", name)
	}}, "root.yaml", model.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what string
		pos  model.Pos
		want string
	}{
		{"organisation", m.Node("a").Pos, "root.yaml:4:5"},
		{"its kind", m.Node("a").At("kind"), "root.yaml:5:11"},
		{"service", m.Node("s").Pos, "part.yaml:3:5"},
		{"its operator", m.Node("s").At("operator"), "part.yaml:5:15"},
		{"dependency", m.Dependencies[0].Pos, "part.yaml:7:5"},
		{"scenario", m.Scenarios[0].Pos, "part.yaml:11:5"},
		{"compromised id", m.Scenarios[0].Compromise[0].Pos, "part.yaml:12:18"},
	} {
		if got := c.pos.String(); got != c.want {
			t.Errorf("%s at %s, want %s", c.what, got, c.want)
		}
	}
}

func ExamplePos() {
	fmt.Println(model.Pos{File: "examples/split/gateway.yaml", Line: 19, Column: 5})
	fmt.Println(model.Pos{File: "examples/split/model.yaml"})
	// Output:
	// examples/split/gateway.yaml:19:5
	// examples/split/model.yaml
}

// A dependency listed twice in two files, differently, names the other
// file's line with its file: "line 7" alone would point into the wrong one.
func TestDuplicateInAnotherFileNamesIt(t *testing.T) {
	files := map[string]string{
		"root.yaml": "version: 1\ninclude: [part.yaml]\norganisations:\n  - id: a\n    kind: trust\ndependencies:\n  - from: a\n    to: s\n    type: service\n",
		"part.yaml": "version: 1\nservices:\n  - id: s\n    kind: pathology\ndependencies:\n  - from: a\n    to: s\n    type: service\n    critical: false\n",
	}
	_, err := model.LoadFiles(model.Files{ReadFile: func(name string) ([]byte, error) { return []byte(files[name]), nil }}, "root.yaml", model.Limits{})
	want := `part.yaml:6:5: the service dependency of "a" on "s" is listed twice, differently: critical false here, true at root.yaml:7:5 (first at root.yaml:7:5; keep one listing, with the values you mean)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}
