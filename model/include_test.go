package model_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/blastradius/blastradius/model"
)

// TestIncludeErrors loads each case under testdata/include and compares
// every problem, one a line, with the case's golden file. Each names the
// file and the line that holds the mistake.
func TestIncludeErrors(t *testing.T) {
	entries, _ := os.ReadDir("../testdata/include")
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, e.Name())
		}
	}
	if len(dirs) < 8 {
		t.Fatalf("found %d cases", len(dirs))
	}
	for _, dir := range dirs {
		name := dir
		if name == "ok" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			files := model.FSFiles(os.DirFS("../testdata/include"))
			files.Prefix = "testdata/include/"
			root := name + "/model.yaml"
			if name == "escape" {
				root = name + "/sub/model.yaml"
			}
			_, err := model.LoadFiles(files, root, model.Limits{})
			var list model.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("got %v, want an ErrorList", err)
			}
			var b strings.Builder
			for _, e := range list {
				if !positioned.MatchString(e.Error()) {
					t.Errorf("no position: %s", e)
				}
				b.WriteString(e.Error() + "\n")
			}
			golden := filepath.Join("../testdata/include", name+".golden")
			if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
				os.WriteFile(golden, []byte(b.String()), 0o644)
			}
			want, _ := os.ReadFile(golden)
			if b.String() != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
			}
		})
	}
}

// A model in many files is the model in one: the entries of each file, in
// include order, each keeping its file.
func TestIncludeMerges(t *testing.T) {
	m, err := model.Load("../testdata/include/ok/model.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"../testdata/include/ok/model.yaml", "../testdata/include/ok/shared.yaml", "../testdata/include/ok/icbs/north.yaml", "../testdata/include/ok/icbs/south.yaml"}
	if strings.Join(m.Files, " ") != strings.Join(want, " ") {
		t.Errorf("files %v, want %v", m.Files, want)
	}
	var ids []string
	for _, n := range m.Nodes() {
		ids = append(ids, n.ID+"@"+filepath.Base(n.Pos.File))
	}
	if got := strings.Join(ids, " "); got != "pathco@shared.yaml north-icb@north.yaml north-trust@north.yaml south-icb@south.yaml south-trust@south.yaml lims@shared.yaml" {
		t.Errorf("nodes: %s", got)
	}
	if d := m.Dependencies[1]; d.Pos.String() != "../testdata/include/ok/icbs/south.yaml:6:5" {
		t.Errorf("dependency at %s", d.Pos)
	}
	if m.Name != "Two ICBs" || m.File != "../testdata/include/ok/model.yaml" || len(m.Scenarios) != 1 {
		t.Errorf("root: %q %q %d", m.Name, m.File, len(m.Scenarios))
	}
}

// The same files read from memory, through io/fs, give the same model.
func TestIncludeFS(t *testing.T) {
	fsys := fstest.MapFS{
		"m/model.yaml":   {Data: []byte("version: 1\ninclude: [parts/*.yaml]\n")},
		"m/parts/a.yaml": {Data: []byte("organisations: [{id: a, kind: trust}]\n")},
		"m/parts/b.yaml": {Data: []byte("organisations: [{id: b, kind: supplier}]\ndependencies: [{from: a, to: b, type: service}]\n")},
	}
	files := model.FSFiles(fsys)
	files.Prefix = "HEAD:"
	m, err := model.LoadFiles(files, "m/model.yaml", model.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Nodes()) != 2 || m.Dependencies[0].Pos.File != "HEAD:m/parts/b.yaml" {
		t.Errorf("got %d nodes, dependency in %q", len(m.Nodes()), m.Dependencies[0].Pos.File)
	}
	fsys["m/parts/b.yaml"] = &fstest.MapFile{Data: []byte("organisations: [{id: a, kind: supplier}]\n")}
	_, err = model.LoadFiles(files, "m/model.yaml", model.Limits{})
	if err == nil || err.Error() != `HEAD:m/parts/b.yaml:1:17: duplicate id "a" (first defined at HEAD:m/parts/a.yaml:1:17)` {
		t.Errorf("got %v", err)
	}
}

// Parse reads one file from memory: it has no directory to include from.
func TestParseRefusesInclude(t *testing.T) {
	_, err := model.Parse("t.yaml", []byte("version: 1\ninclude: [a.yaml]\n"))
	if err == nil || !strings.HasPrefix(err.Error(), `t.yaml:2:11: include "a.yaml": this model was not read from a file`) {
		t.Errorf("got %v", err)
	}
}

// The limits hold for the files together.
func TestIncludeLimits(t *testing.T) {
	fsys := fstest.MapFS{
		"model.yaml": {Data: []byte("version: 1\ninclude: [a.yaml, b.yaml]\n")},
		"a.yaml":     {Data: []byte("organisations: [{id: a, kind: trust}]\n")},
		"b.yaml":     {Data: []byte("organisations: [{id: b, kind: trust}]\n")},
	}
	cases := []struct {
		lim  model.Limits
		want string
	}{
		{model.Limits{MaxFiles: 2}, "model.yaml:2:19: the model's files are more than the limit of 2"},
		{model.Limits{MaxNodes: 1}, "model.yaml:1:1: the model's files hold 2 organisations and services, over the limit of 1"},
		{model.Limits{MaxBytes: 60}, "model.yaml:2:11: the model's files come to over 75 bytes, past the limit of 60"},
		{model.Limits{MaxFiles: 3}, ""},
	}
	for _, c := range cases {
		_, err := model.LoadFiles(model.FSFiles(fsys), "model.yaml", c.lim)
		var list model.ErrorList
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: %v", c.lim, err)
		case c.want != "" && (!errors.As(err, &list) || !strings.HasPrefix(list[0].Error(), c.want) || list[0].Limit == ""):
			t.Errorf("%+v: got %v, want %q", c.lim, err, c.want)
		}
	}
}

// FuzzInclude: no pair of files makes the loader panic or loop, and every
// problem has a position in one of them.
func FuzzInclude(f *testing.F) {
	f.Add([]byte("version: 1\ninclude: [a.yaml]\n"), []byte("organisations: [{id: a, kind: trust}]\n"))
	f.Add([]byte("version: 1\ninclude: ['*.yaml', d/*]\n"), []byte("include: [../model.yaml, ../a.yaml]\n"))
	f.Add([]byte("version: 1\ninclude: [d/b.yaml]\norganisations: [{id: a, kind: trust}]\n"), []byte("version: 2\ninclude: [../../x.yaml, '[', /abs]\norganisations: [{id: a, kind: trust}]\npolicies: {max_organisations: 1}\n"))
	f.Fuzz(func(t *testing.T, root, frag []byte) {
		fsys := fstest.MapFS{
			"model.yaml": {Data: root},
			"a.yaml":     {Data: frag},
			"d/b.yaml":   {Data: frag},
		}
		_, err := model.LoadFiles(model.FSFiles(fsys), "model.yaml", model.Limits{MaxBytes: 1 << 20, MaxAliasNodes: 10000, MaxFiles: 50})
		if err == nil {
			return
		}
		var list model.ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("error is not a non-empty ErrorList: %T %v", err, err)
		}
		for _, e := range list {
			if !positioned.MatchString(e.Error()) {
				t.Fatalf("error without a position: %q", e.Error())
			}
		}
	})
}

// On disk, a model's files are all in the directory of its root file or
// below: neither "../" nor a symbolic link may lead out of it.
func TestIncludeStaysInTheRootDirectory(t *testing.T) {
	_, err := model.Load("../testdata/include/escape/sub/model.yaml")
	if err == nil || !strings.HasPrefix(err.Error(), `../testdata/include/escape/sub/model.yaml:2:11: include path "../../../outside.yaml" climbs above the directory of the model's root file, ../testdata/include/escape/sub/`) {
		t.Errorf("got %v", err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "secret.yaml"), []byte("organisations: [{id: s, kind: trust}]\n"), 0o644)
	os.Mkdir(filepath.Join(dir, "m"), 0o755)
	os.WriteFile(filepath.Join(dir, "m", "model.yaml"), []byte("version: 1\ninclude: [link.yaml]\n"), 0o644)
	if err := os.Symlink(filepath.Join(dir, "secret.yaml"), filepath.Join(dir, "m", "link.yaml")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	_, err = model.Load(filepath.Join(dir, "m", "model.yaml"))
	if err == nil || !strings.Contains(err.Error(), `link.yaml is a link that leads out of the directory of the model's root file`) {
		t.Errorf("got %v", err)
	}
	// The root file itself may be a link: it is the file the user named.
	os.Symlink(filepath.Join(dir, "secret.yaml"), filepath.Join(dir, "m", "frag.yaml"))
	os.WriteFile(filepath.Join(dir, "secret.yaml"), []byte("version: 1\norganisations: [{id: s, kind: trust}]\n"), 0o644)
	if _, err := model.Load(filepath.Join(dir, "m", "frag.yaml")); err != nil {
		t.Errorf("a root file that is a link: %v", err)
	}
}

// An included file past the size limit is reported at the include entry.
func TestIncludeTooBig(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "model.yaml"), []byte("version: 1\ninclude: [big.yaml]\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "big.yaml"), []byte("organisations: [{id: a, kind: trust}, {id: b, kind: trust}]\n"), 0o644)
	_, err := model.LoadWith(filepath.Join(dir, "model.yaml"), model.Limits{MaxBytes: 40})
	var list model.ErrorList
	if !errors.As(err, &list) || len(list) != 1 || list[0].Limit != "MaxBytes" || !strings.HasSuffix(list[0].Error(), `model.yaml:2:11: include "big.yaml": `+dir+`/big.yaml: file is larger than the limit of 40 bytes (split it, or raise the limit)`) {
		t.Errorf("got %v", err)
	}
}

// The split example is formatted already, and fmt keeps a short include
// list (or any list of one line) on its line after a blank line.
func TestFormatSplitExample(t *testing.T) {
	files, _ := filepath.Glob("../examples/split/*.yaml")
	if len(files) != 3 {
		t.Fatalf("found %d files", len(files))
	}
	for _, f := range files {
		src, _ := os.ReadFile(f)
		out, err := model.Format(f, src)
		if err != nil || string(out) != string(src) {
			t.Errorf("%s is not formatted (%v):\n%s", f, err, out)
		}
	}
	src := "version: 1\n\ninclude: [a.yaml, b.yaml]\norganisations:\n  - id: x\n    kind: trust\n\n    controls: [mfa, edr]\n"
	out, err := model.Format("t.yaml", []byte(src))
	if err != nil || !strings.Contains(string(out), "\ninclude: [a.yaml, b.yaml]\n") || strings.Contains(string(out), "mfa,\n") {
		t.Errorf("got %v:\n%s", err, out)
	}
}

// A file name with a newline or a control character, matched by a glob,
// could forge a line in a CI log (a GitHub workflow command such as
// ::error): the include that matches it is refused, at its line.
func TestIncludeRefusesUnsafeFileNames(t *testing.T) {
	for _, name := range []string{"a\n::error file=evil.yaml,line=1::INJECTED", "a\x1b[2J", "a\u202e"} {
		fsys := fstest.MapFS{
			"m/model.yaml":            {Data: []byte("version: 1\ninclude: [\"sub/*\"]\n")},
			"m/sub/" + name + ".yaml": {Data: []byte("organisations: [{id: a, kind: trust}]\n")},
			"m/sub/fine.yaml":         {Data: []byte("organisations: [{id: b, kind: trust}]\n")},
		}
		_, err := model.LoadFiles(model.FSFiles(fsys), "m/model.yaml", model.Limits{})
		if err == nil {
			t.Fatalf("%q: loaded", name)
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "m/model.yaml:2:") || !strings.Contains(msg, "whose name holds the character U+") {
			t.Errorf("%q: got %s", name, msg)
		}
		if strings.ContainsAny(msg, "\n\x1b\u202e") {
			t.Errorf("%q: the error itself holds the character: %q", name, msg)
		}
	}
}

// A position's file name is written on one line, whatever it holds.
func TestPosEscapesItsFile(t *testing.T) {
	p := model.Pos{File: "a\n::error::x", Line: 3, Column: 1}
	if got, want := p.String(), `a\u000a::error::x:3:1`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
