package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/blastradius/blastradius/model"
)

// TestSchemaFilesUpToDate checks that docs/schema holds what the generator
// writes today: the schemas cannot drift from the loader.
func TestSchemaFilesUpToDate(t *testing.T) {
	chdirRoot(t)
	for _, kind := range model.SchemaKinds {
		want, err := model.Schema(kind)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("docs", "schema", model.SchemaFile(kind))
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from \"blastradius schema %s\":\n%s", path, kind, diff(string(got), string(want)))
		}
	}
}

// TestSchemaCommand checks that the command prints the generator's bytes.
func TestSchemaCommand(t *testing.T) {
	for _, kind := range model.SchemaKinds {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"schema", kind}, nil, &stdout, &stderr); code != exitOK {
			t.Fatalf("schema %s: exit %d: %s", kind, code, stderr.String())
		}
		want, _ := model.Schema(kind)
		if !bytes.Equal(stdout.Bytes(), want) {
			t.Errorf("schema %s prints other bytes than model.Schema", kind)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"schema", "modle"}, nil, &stdout, &stderr); code != exitError || !strings.Contains(stderr.String(), `unknown schema "modle"`) {
		t.Errorf("schema modle: exit %d, stderr %q", code, stderr.String())
	}
}

// compileSchemas compiles both schemas with a draft-07 validator.
func compileSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	out := map[string]*jsonschema.Schema{}
	for _, kind := range model.SchemaKinds {
		src, err := model.Schema(kind)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft7)
		c.AssertFormat()
		url := model.SchemaBase + model.SchemaFile(kind)
		if err := c.AddResource(url, doc); err != nil {
			t.Fatal(err)
		}
		sch, err := c.Compile(url)
		if err != nil {
			t.Fatalf("%s schema does not compile: %v", kind, err)
		}
		if sch.DraftVersion != 7 {
			t.Fatalf("%s schema compiled as draft %d", kind, sch.DraftVersion)
		}
		out[kind] = sch
	}
	return out
}

// yamlToJSON turns a YAML document into the JSON value an editor
// validates. It reads YAML 1.2's core schema, as editors do: a date such as
// 2027-03-31 is text, not a timestamp.
func yamlToJSON(src []byte) (any, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return nil, err
	}
	if len(root.Content) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(nodeValue(root.Content[0], 0))
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(b))
}

func nodeValue(n *yaml.Node, depth int) any {
	if depth > 100 {
		return nil
	}
	switch n.Kind {
	case yaml.AliasNode:
		return nodeValue(n.Alias, depth+1)
	case yaml.SequenceNode:
		out := []any{}
		for _, c := range n.Content {
			out = append(out, nodeValue(c, depth+1))
		}
		return out
	case yaml.MappingNode:
		out := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.ShortTag() == "!!merge" {
				if m, ok := nodeValue(v, depth+1).(map[string]any); ok {
					for mk, mv := range m {
						if _, set := out[mk]; !set {
							out[mk] = mv
						}
					}
				}
				continue
			}
			out[k.Value] = nodeValue(v, depth+1)
		}
		return out
	}
	switch n.ShortTag() {
	case "!!int", "!!float":
		var f float64
		if err := n.Decode(&f); err == nil {
			return f
		}
	case "!!bool":
		var b bool
		n.Decode(&b)
		return b
	case "!!null":
		return nil
	}
	return n.Value
}

// schemaKindOf tells a scenarios file from a model by where it lives.
func schemaKindOf(path string) string {
	if strings.Contains(filepath.ToSlash(path), "/policies/") {
		return "scenarios"
	}
	return "model"
}

// TestSchemaAcceptsValidModels validates every example and every model of
// the test corpus that the loader accepts.
func TestSchemaAcceptsValidModels(t *testing.T) {
	chdirRoot(t)
	schemas := compileSchemas(t)
	files, _ := filepath.Glob("examples/*.yaml")
	more, _ := filepath.Glob("examples/*/*.yaml")
	widened, _ := filepath.Glob("testdata/widened/*.yaml")
	files = append(append(files, more...), widened...)
	if len(files) < 6 {
		t.Fatalf("found %d example files", len(files))
	}
	type doc struct {
		name string
		src  []byte
	}
	var docs []doc
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, doc{f, src})
	}
	// Models given on standard input to the whole-CLI cases.
	scripts, _ := filepath.Glob("cmd/blastradius/testdata/script/*.txt")
	for _, f := range scripts {
		s := readScript(t, f)
		if in := s.sections["stdin"]; in != "" {
			if m, err := model.Parse("stdin", []byte(in)); err == nil && len(m.Warnings) == 0 {
				docs = append(docs, doc{f + ":stdin", []byte(in)})
			}
		}
	}
	// A file that another includes is loaded with it, not alone.
	included := map[string]bool{}
	for _, f := range files {
		if m, err := model.Load(f); err == nil {
			for _, g := range m.Files[1:] {
				included[g] = true
			}
		}
	}
	for _, d := range docs {
		kind := schemaKindOf(d.name)
		if included[d.name] {
			kind = "fragment"
		}
		if kind == "model" {
			load := func() (*model.Model, error) { return model.Parse(d.name, d.src) }
			if _, err := os.Stat(d.name); err == nil {
				load = func() (*model.Model, error) { return model.Load(d.name) }
			}
			if _, err := load(); err != nil {
				t.Errorf("%s: the loader refuses it: %v", d.name, err)
				continue
			}
		}
		v, err := yamlToJSON(d.src)
		if err != nil {
			t.Errorf("%s: %v", d.name, err)
			continue
		}
		if err := schemas[kind].Validate(v); err != nil {
			t.Errorf("%s: the %s schema refuses a valid file: %v", d.name, kind, err)
		}
	}
}

// structural lists the files of testdata/invalid whose mistakes are in the
// shape of the file (an unknown key, a word outside an enum, a wrong type, a
// missing required key, a malformed id), which a schema can see. The others
// are mistakes of YAML itself, of encoding, of limits, or of references
// between entries, which only the loader can see.
var structural = map[string]string{
	"enums-and-ranges": "unknown kinds, relation and control; out-of-range numbers",
	"unknown-keys":     "misspelt keys",
	"icbs":             "an empty list or mapping of ICBs, people that are not whole numbers",
	"missing-version":  "no version",
	"wrong-version":    "version 2",
	"scenarios":        "unknown mode, rule and kinds; negative limit; missing required keys",
	"malformed-ids":    "ids outside [a-z0-9-]; an organisation without id",
	"not-a-mapping":    "a list at the top",
	"strain":           "aid headroom and shed outside 0..1, a negative after, aid without headroom or shed, surge factor and share out of range, a stock without days",
	"time-values":      "negative days, capacity and share out of range, fractional buffer, units that are not words, activity on a service, both recovery and restore, bad dates",
}

var notStructural = []string{
	"alias-bomb", "binary", "comment-only", "control-characters", "syntax-item-no-space-after-colon", "syntax-no-space-after-colon", "syntax-tab-after-dash", "deep-nesting", "duplicate-id", "duplicate-keys", "empty",
	"latin1", "c1-control", "line-separator", "noncharacter", "references", "syntax", "tabs", "two-documents", "unknown-id", "utf16",
	"assume", "time-rules", "syntax-block-text", "syntax-colon-in-value", "syntax-dedented-value", "syntax-empty-key", "syntax-flow-missing-comma", "syntax-item-missing-colon", "syntax-list-outdented", "syntax-missing-colon", "syntax-single-quote", "syntax-stray-bracket", "syntax-stray-quote", "syntax-tab-in-list", "syntax-tab-indent", "syntax-unclosed-brace", "syntax-unclosed-bracket", "syntax-unclosed-bracket-eof", "syntax-unclosed-quote", "syntax-unknown-anchor",
}

// TestSchemaRefusesStructuralErrors checks that each structural mistake of
// the invalid corpus fails the schema, and that every file of the corpus is
// listed as one kind or the other.
func TestSchemaRefusesStructuralErrors(t *testing.T) {
	chdirRoot(t)
	schemas := compileSchemas(t)
	files, _ := filepath.Glob("testdata/invalid/*.yaml")
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		why, ok := structural[name]
		if !ok {
			if !slices.Contains(notStructural, name) {
				t.Errorf("%s: say whether a schema can see its mistake (add it to structural or notStructural)", f)
			}
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		v, err := yamlToJSON(src)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if err := schemas["model"].Validate(v); err == nil {
			t.Errorf("%s: the schema accepts it (%s)", f, why)
		}
	}
	for name := range structural {
		if _, err := os.Stat(filepath.Join("testdata", "invalid", name+".yaml")); err != nil {
			t.Errorf("structural lists %s, which is gone", name)
		}
	}
}

// TestSchemaRefusesEachMistake checks one mistake at a time, so that a
// schema refusing a file for another reason cannot hide a gap.
func TestSchemaRefusesEachMistake(t *testing.T) {
	schemas := compileSchemas(t)
	base := "version: 1\norganisations:\n  - {id: a, kind: trust}\n  - {id: b, kind: supplier}\n"
	ok := base + "dependencies:\n  - {from: a, to: b, type: service}\n"
	cases := map[string]string{
		"unknown top key":                   ok + "organizations: []\n",
		"unknown kind":                      "version: 1\norganisations:\n  - {id: a, kind: hospital}\n",
		"unknown relation":                  base + "dependencies:\n  - {from: a, to: b, type: services}\n",
		"unknown control":                   "version: 1\norganisations:\n  - {id: a, kind: trust, controls: [mfaa]}\n",
		"unknown mode":                      ok + "scenarios:\n  - {name: x, compromise: [b], mode: wiper}\n",
		"unknown rule":                      ok + "policies:\n  exceptions:\n    - {rule: nope, id: a, reason: r, until: 2027-01-01}\n",
		"critical as text":                  base + "dependencies:\n  - {from: a, to: b, type: service, critical: maybe}\n",
		"likelihood too big":                base + "dependencies:\n  - {from: a, to: b, type: service, likelihood: 1.5}\n",
		"patients negative":                 "version: 1\norganisations:\n  - {id: a, kind: trust, patients: -1}\n",
		"missing kind":                      "version: 1\norganisations:\n  - {id: a}\n",
		"missing type":                      base + "dependencies:\n  - {from: a, to: b}\n",
		"missing compromise":                ok + "scenarios:\n  - {name: x}\n",
		"empty compromise":                  ok + "scenarios:\n  - {name: x, compromise: []}\n",
		"malformed id":                      "version: 1\norganisations:\n  - {id: Guy, kind: trust}\n",
		"malformed ods":                     "version: 1\norganisations:\n  - {id: a, kind: trust, ods: rj1}\n",
		"unknown assume key":                ok + "scenarios:\n  - {name: x, compromise: [b], assume: {delete: []}}\n",
		"alternative without add":           ok + "scenarios:\n  - {name: x, compromise: [b], assume: {alternatives: [{from: a, to: b}]}}\n",
		"require_controls kind":             ok + "policies:\n  require_controls: {suplier: [mfa]}\n",
		"until not a date":                  ok + "policies:\n  exceptions:\n    - {rule: require_controls, id: a, reason: r, until: 31/03/2027}\n",
		"version 2":                         "version: 2\n",
		"recovery negative":                 "version: 1\norganisations:\n  - {id: a, kind: trust, recovery: -1}\n",
		"recovery without max":              "version: 1\norganisations:\n  - {id: a, kind: trust, recovery: {min: 1, likely: 2}}\n",
		"recovery and restore":              "version: 1\norganisations:\n  - {id: a, kind: trust, recovery: 3, restore: [{day: 0, capacity: 0.5}]}\n",
		"restore capacity 1.2":              "version: 1\norganisations:\n  - {id: a, kind: trust, restore: [{day: 0, capacity: 1.2}]}\n",
		"restore day fractional":            "version: 1\norganisations:\n  - {id: a, kind: trust, restore: [{day: 0.5, capacity: 0.2}]}\n",
		"restore empty":                     "version: 1\norganisations:\n  - {id: a, kind: trust, restore: []}\n",
		"activity unit not word":            "version: 1\norganisations:\n  - {id: a, kind: trust, activity: {Outpatients: 5}}\n",
		"activity negative":                 "version: 1\norganisations:\n  - {id: a, kind: trust, activity: {outpatients: -5}}\n",
		"activity on a service":             "version: 1\nservices:\n  - {id: s, kind: epr, activity: {tests: 5}}\n",
		"tolerance negative":                "version: 1\norganisations:\n  - {id: a, kind: trust, tolerance: -1}\n",
		"share 0":                           base + "dependencies:\n  - {from: a, to: b, type: service, share: 0}\n",
		"share above 1":                     base + "dependencies:\n  - {from: a, to: b, type: service, share: 1.5}\n",
		"buffer negative":                   base + "dependencies:\n  - {from: a, to: b, type: service, buffer: -1}\n",
		"buffer fractional":                 base + "dependencies:\n  - {from: a, to: b, type: service, buffer: 1.5}\n",
		"start not a date":                  ok + "scenarios:\n  - {name: x, compromise: [b], start: 2024-06-31}\n",
		"max_outage_days bad id":            ok + "scenarios:\n  - {name: x, compromise: [b], expect: {max_outage_days: {Gstt: 3}}}\n",
		"max_outage_days negative":          ok + "scenarios:\n  - {name: x, compromise: [b], expect: {max_outage_days: {a: -3}}}\n",
		"recovery_within_tolerance as text": ok + "policies:\n  recovery_within_tolerance: yes please\n",
	}
	for name, src := range cases {
		v, err := yamlToJSON([]byte(src))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if schemas["model"].Validate(v) == nil {
			t.Errorf("%s: the schema accepts\n%s", name, src)
		}
	}
	// The new what-if keys are accepted in both schemas.
	whatIf := ok + "scenarios:\n  - name: x\n    compromise: [b]\n    assume:\n      add: [{from: a, to: b, type: data}]\n      alternatives: [{from: a, to: b, add: [a]}]\n      remove_controls: {a: [mfa]}\n"
	for _, kind := range model.SchemaKinds {
		src := whatIf
		if kind == "scenarios" {
			src = "version: 1\n" + whatIf[strings.Index(whatIf, "scenarios:"):]
		}
		v, _ := yamlToJSON([]byte(src))
		if err := schemas[kind].Validate(v); err != nil {
			t.Errorf("%s schema refuses the what-if keys: %v", kind, err)
		}
	}
}

// TestSchemaDescribesEveryProperty checks that every property of both
// schemas, and every definition, has a description for editors to show,
// and that the enums hold the loader's lists.
func TestSchemaDescribesEveryProperty(t *testing.T) {
	for _, kind := range model.SchemaKinds {
		src, _ := model.Schema(kind)
		var root map[string]any
		if err := json.Unmarshal(src, &root); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"$schema", "$id", "title", "description"} {
			if s, _ := root[key].(string); s == "" {
				t.Errorf("%s schema has no %s", kind, key)
			}
		}
		var walk func(path string, v any)
		walk = func(path string, v any) {
			m, ok := v.(map[string]any)
			if !ok {
				return
			}
			for _, group := range []string{"properties", "definitions", "patternProperties"} {
				props, _ := m[group].(map[string]any)
				for name, p := range props {
					pm, _ := p.(map[string]any)
					if d, _ := pm["description"].(string); d == "" && pm["$ref"] == nil {
						t.Errorf("%s schema: %s/%s/%s has no description", kind, path, group, name)
					}
					walk(path+"/"+group+"/"+name, p)
				}
			}
			for _, sub := range []string{"items", "additionalProperties"} {
				walk(path+"/"+sub, m[sub])
			}
			if list, ok := m["anyOf"].([]any); ok {
				for i, s := range list {
					walk(fmt.Sprintf("%s/anyOf/%d", path, i), s)
				}
			}
		}
		walk("#", root)
	}
	src, _ := model.Schema("model")
	for _, words := range [][]string{model.OrganisationKinds, model.ServiceKinds, model.Controls, model.Rules} {
		for _, w := range words {
			if !bytes.Contains(src, []byte(`"`+w+`"`)) {
				t.Errorf("the model schema does not name %q", w)
			}
		}
	}
	for _, r := range model.Relations {
		if !bytes.Contains(src, []byte(`"`+string(r)+`"`)) {
			t.Errorf("the model schema does not name the relation %q", r)
		}
	}
}

// TestFragmentSchema: a file that a model includes may leave out its
// version, which the fragment schema allows and the model schema does not.
func TestFragmentSchema(t *testing.T) {
	schemas := compileSchemas(t)
	v, err := yamlToJSON([]byte("organisations:\n  - {id: gstt, kind: trust}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := schemas["fragment"].Validate(v); err != nil {
		t.Errorf("the fragment schema refuses a fragment without a version: %v", err)
	}
	if err := schemas["model"].Validate(v); err == nil {
		t.Error("the model schema accepts a file without a version")
	}
	bad, _ := yamlToJSON([]byte("organisations:\n  - {id: gstt, kind: hospital}\n"))
	if err := schemas["fragment"].Validate(bad); err == nil {
		t.Error("the fragment schema accepts an unknown kind")
	}
}
