package model

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// corpus is every YAML file of the repository's examples and test data:
// valid models, each kind of mistake, hostile files.
func corpus(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, dir := range []string{"../examples", "../testdata", "testdata", "../cmd/blastradius/testdata", "../explore/testdata", "../graph/testdata", "../timeline/testdata"} {
		filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				return nil
			}
			if src, err := os.ReadFile(path); err == nil && len(src) < 4<<20 {
				out[path] = src
			}
			return nil
		})
	}
	if len(out) < 50 {
		t.Fatalf("only %d files in the corpus", len(out))
	}
	return out
}

// sameTree says where two node trees differ in what the decoder reads:
// kind, style, tag, value, position and children.
func sameTree(a, b *yaml.Node, at string) string {
	switch {
	case a.Kind != b.Kind:
		return fmt.Sprintf("%s: kind %v, yaml.v3 %v", at, a.Kind, b.Kind)
	case a.Style != b.Style:
		return fmt.Sprintf("%s: style %v, yaml.v3 %v", at, a.Style, b.Style)
	case a.ShortTag() != b.ShortTag():
		return fmt.Sprintf("%s: tag %s, yaml.v3 %s", at, a.ShortTag(), b.ShortTag())
	case a.Value != b.Value:
		return fmt.Sprintf("%s: value %q, yaml.v3 %q", at, a.Value, b.Value)
	case a.Line != b.Line || a.Column != b.Column:
		return fmt.Sprintf("%s: at %d:%d, yaml.v3 %d:%d", at, a.Line, a.Column, b.Line, b.Column)
	case len(a.Content) != len(b.Content):
		return fmt.Sprintf("%s (%d:%d): %d children, yaml.v3 %d", at, b.Line, b.Column, len(a.Content), len(b.Content))
	}
	for i := range a.Content {
		if d := sameTree(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", at, i)); d != "" {
			return d
		}
	}
	return ""
}

// agree checks that where the fast reader reads src at all, it reads what
// yaml.v3 reads.
func agree(t *testing.T, name string, src []byte) bool {
	t.Helper()
	if !newParser(name, Limits{}).text(src) {
		return false // the loader refuses it before either reader
	}
	doc, _ := fastDocument(src, DefaultLimits.MaxDepth, false)
	if doc == nil {
		return false
	}
	want, err := parseYAML(src)
	if err != nil {
		t.Fatalf("%s: the fast reader read a file yaml.v3 refuses (%v)", name, err)
	}
	if want == nil {
		t.Fatalf("%s: the fast reader read a file yaml.v3 finds empty", name)
	}
	if d := sameTree(doc.Content[0], want.Content[0], ""); d != "" {
		t.Fatalf("%s: %s", name, d)
	}
	return true
}

// The fast reader gives yaml.v3's nodes for every file it reads, and reads
// the examples and the generated models: it is not a reader that declines
// everything.
func TestFastYAMLAgrees(t *testing.T) {
	read := 0
	for name, src := range corpus(t) {
		if bytes.HasPrefix(src, []byte{0xEF, 0xBB, 0xBF}) {
			continue
		}
		if agree(t, name, src) {
			read++
		}
	}
	for _, ex := range []string{"../examples/synnovis-2024.yaml", "../examples/wirral-2024.yaml", "../examples/split/model.yaml", "testdata/generated.yaml"} {
		src, err := os.ReadFile(ex)
		if err != nil {
			t.Fatal(err)
		}
		if !agree(t, ex, src) {
			t.Errorf("%s: the fast reader declines it", ex)
		}
	}
	t.Logf("the fast reader read %d files of the corpus", read)
}

// Every file gives the same model, or the same messages, whichever reader
// reads it, the lists decoded an item at a time or not.
func TestFastYAMLSameModel(t *testing.T) {
	for name, src := range corpus(t) {
		fast, ferr := newLoader(Files{}, Limits{}).load(filepath.Base(name), src)
		slow := newLoader(Files{}, Limits{})
		slow.slow = true
		want, werr := slow.load(filepath.Base(name), src)
		if fmt.Sprint(ferr) != fmt.Sprint(werr) {
			t.Errorf("%s: messages differ\nfast: %v\nyaml.v3: %v", name, ferr, werr)
			continue
		}
		if !reflect.DeepEqual(fast, want) {
			t.Errorf("%s: the models differ", name)
		}
	}
}

// Variations of the shapes the fast reader reads, and of those it leaves to
// yaml.v3, at its edges.
var fastEdges = []string{
	"version: 1\norganisations:\n  - {id: a, kind: trust}\n",
	"version: 1\norganisations:\n- id: a\n  kind: trust\n- id: b\n  kind: trust\n",
	"version: 1 # the version\nname: 'it''s'\ndescription: \"quoted: yes\"\n",
	"version: 1\norganisations:\n  -\n    id: a\n    kind: trust\n",
	"version: 1\nname: a: b\n",
	"version: 1\nname: a #b\n",
	"version: 1\nname: a#b\n",
	"version: 1\nname: [a, [b, c], {d: e}]\n",
	"version: 1\nname: {a: 1, b: [x, y], 'c': \"z\"}\n",
	"version: 1\nname: {a: 1,}\n",
	"version: 1\nname: [a,]\n",
	"version: 1\nname: []\nx: {}\n",
	"version: 1\nname:\n",
	"version: 1\nname: |\n  text\n",
	"version: 1\nname: a\n  b\n",
	"version: 1\nname: \"a\n  b\"\n",
	"version: 1\nname: &x a\nother: *x\n",
	"version: 1\r\nname: a\r\n",
	"version: 1\nname: Ünïcödé — ok\nid: [é, ü]\n",
	"version: 1\n\"quoted key\": 1\n'single': 2\n",
	"version: 1\nlist:\n  - - a\n",
	"version: 1\nlist:\n  - a\n  - b\nnext: 1\n",
	"version: 1\nlist:\n- a\nnext: 1\n",
	"version: 1\nlist:\n  - a\n - b\n",
	"---\nversion: 1\n",
	"version: 1\n...\n",
	"version: 1\nkey : v\n",
	"version: 1\nkey:v\n",
	"version: 1\nname: -1\n",
	"version: 1\nname: ~\n",
	"version: 1\nname: null\nb: true\nc: 1.5\nd: 2024-06-03\n",
	"version: 1\nname: \"a\"b\n",
	"version: 1\nname: {a: b c, d: e: f}\n",
	"version: 1\nname: [a b, 'c d' ]\n",
	"  version: 1\n",
	"version: 1\n  name: a\n",
	"version: 1\nm:\n  a: 1\n   b: 2\n",
	"version: 1\nm:\n    a: 1\n  b: 2\n",
	"version: 1\n# comment\n\n   # indented comment\nm:\n  # inside\n  a: 1\n",
	"version: 1\nm: [a, b] x\n",
	"version: 1\nm: {a: [1, 2]}, \n",
	"version: 1\nm: 'a'  # c\n",
	"version: 1\nm: http://x.y/z?q=1\n",
	"version: 1\nm: [http://x]\n",
	"version: 1\nm: {k: 'v', \"k2\": \"v2\"}\n",
	"version: 1\ndependencies:\n  - {from: a, to: b}\n  - {from: b,\n     to: c}\n",
	"version: 1\ndependencies:\n  - {from: a, to: b}\n  -\n",
	"version: 1\ndependencies:\n  - {from: a, to: b}\n  - &x {from: a, to: b}\n",
	"version: 1\ndependencies: [ {from: a, to: b} ]\n",
	"version: 1\ndependencies:\n  - {from: a, to: b}\n\n# end\n",
	"version: 1\ndependencies:\n  - {from: a, to: b}\n    x: 1\n",
	"version: 1\nd: >\n  a b\n  c\n\n  d\n\n\n  e\n\nn: 1\n",
	"version: 1\nd: |\n  a b\n    c\n\n  d\nn: 1\n",
	"version: 1\nd: >-\n  a\n  b\nn: 1\n",
	"version: 1\nd: |-\n  a\n\n",
	"version: 1\nd: >\n  a\n    b\n",
	"version: 1\nd: > # folded\n  a\n# after\nn: 1\n",
	"version: 1\nd: >\n  a\n   \n  b\n",
	"version: 1\nd: >\n\n  a\n",
	"version: 1\nd: >\nn: 1\n",
	"version: 1\nd: |+\n  a\n",
	"version: 1\nd: |2\n  a\n",
	"version: 1\nd: >\n  a",
	"version: 1\nm:\n  d: >\n    a\n   b\n",
	"version: 1\nd: >\n  # not a comment\n  a\n",
	"version: 1\nn: [0.35, 10., .5, 1.2.3, 00.5, 1.5e3, 123456789012345678.9, 0.0, 9]\n",
	"version: 1\nn: {a: true, b: True, c: trust, d: ransomware, e: mfa, f: mfaa, g: servic}\n",
	"version: 1\nn: [a?, b]\nm: {k: is it?}\np: why?\n",
	"version: 1\nname: a\u0080b\n# c1 \u009b in a comment\n",
	"version: 1\nname: a\u2028b\nnote: c\u0085d\n",
	"version: 1\nname: a\uffffb\n",
}

func TestFastYAMLEdges(t *testing.T) {
	for _, src := range fastEdges {
		agree(t, fmt.Sprintf("%q", src), []byte(src))
	}
}

// FuzzFastYAML: where the fast reader reads a file, yaml.v3 reads the same
// nodes, and the loader gives the same model and messages as yaml.v3 alone.
func FuzzFastYAML(f *testing.F) {
	for _, s := range fastEdges {
		f.Add([]byte(s))
	}
	if src, err := os.ReadFile("../examples/synnovis-2024.yaml"); err == nil {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p := newParser("f.yaml", Limits{})
		if !p.text(src) || bytes.HasPrefix(src, []byte{0xEF, 0xBB, 0xBF}) {
			return
		}
		agree(t, "input", src)
		fast, ferr := newLoader(Files{}, Limits{}).load("f.yaml", src)
		slow := newLoader(Files{}, Limits{})
		slow.slow = true
		want, werr := slow.load("f.yaml", src)
		if fmt.Sprint(ferr) != fmt.Sprint(werr) || !reflect.DeepEqual(fast, want) {
			t.Fatalf("the readers disagree\nfast: %v\nyaml.v3: %v", ferr, werr)
		}
	})
}
