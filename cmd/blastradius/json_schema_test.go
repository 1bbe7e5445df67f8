package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/model"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The JSON every command writes is documented in docs/json.md and has a
// schema under docs/schema/output, which refuses any field it does not
// document. These tests validate every CLI golden with JSON output, every
// example of docs/json.md, and the JSON of every command on every example
// model against its schema.

const outputSchemas = "docs/schema/output"

// compileOutputSchemas compiles every output schema, by name ("reach",
// "chokepoints-network", ...).
func compileOutputSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(outputSchemas, "*.schema.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no output schemas in %s: %v", outputSchemas, err)
	}
	out := map[string]*jsonschema.Schema{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(src))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		id, _ := doc.(map[string]any)["$id"].(string)
		if id == "" {
			t.Fatalf("%s has no $id", f)
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource(id, doc); err != nil {
			t.Fatal(err)
		}
		sch, err := c.Compile(id)
		if err != nil {
			t.Fatalf("%s does not compile: %v", f, err)
		}
		if sch.DraftVersion != 2020 {
			t.Fatalf("%s compiled as draft %d, want 2020-12", f, sch.DraftVersion)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".schema.json")] = sch
	}
	return out
}

// schemaFor names the schema of a command's JSON output, from its
// arguments and exit code: a version that does not load gives check's shape.
func schemaFor(args []string, exit int) string {
	switch cmd := args[0]; {
	case cmd == "diff" && exit == exitError:
		return "check"
	case cmd == "chokepoints" && !slices.ContainsFunc(args, func(a string) bool {
		return strings.HasPrefix(a, "--compromise") || strings.HasPrefix(a, "--scenario")
	}):
		return "chokepoints-network"
	default:
		return cmd
	}
}

func validateJSON(t *testing.T, sch *jsonschema.Schema, what string, src []byte) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(src))
	if err != nil {
		t.Errorf("%s: not JSON: %v", what, err)
		return
	}
	if err := sch.Validate(doc); err != nil {
		t.Errorf("%s does not match its schema: %v", what, err)
	}
}

// TestJSONGoldensMatchSchemas validates the output of every CLI golden
// that writes JSON, and checks that every schema is exercised by one.
func TestJSONGoldensMatchSchemas(t *testing.T) {
	chdirRoot(t)
	schemas := compileOutputSchemas(t)
	files, _ := filepath.Glob("cmd/blastradius/testdata/script/*.txt")
	used := map[string]bool{}
	for _, f := range files {
		s := readScript(t, f)
		if !slices.Contains(s.args, "json") || !slices.ContainsFunc(s.args, func(a string) bool { return a == "--format" || a == "-format" }) {
			continue
		}
		out := s.sections["stdout"]
		if out == "" {
			continue // a usage error writes nothing
		}
		name := schemaFor(s.args, s.exit)
		sch, ok := schemas[name]
		if !ok {
			t.Errorf("%s: no schema %s.schema.json for %q", f, name, s.args[0])
			continue
		}
		used[name] = true
		validateJSON(t, sch, f, []byte(out))
	}
	for name := range schemas {
		if !used[name] {
			t.Errorf("no golden under testdata/script writes JSON of the shape %s.schema.json", name)
		}
	}
}

var exampleRE = regexp.MustCompile("(?s)<!-- example: ([a-z-]+) -->\n```json\n(.*?)```")

// TestJSONDocExamplesMatchSchemas validates every example of docs/json.md,
// and checks that every schema has an example and is linked from there.
func TestJSONDocExamplesMatchSchemas(t *testing.T) {
	chdirRoot(t)
	schemas := compileOutputSchemas(t)
	doc, err := os.ReadFile("docs/json.md")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range exampleRE.FindAllSubmatch(doc, -1) {
		name := string(m[1])
		sch, ok := schemas[name]
		if !ok {
			t.Errorf("docs/json.md: example of %q, which has no schema", name)
			continue
		}
		seen[name] = true
		validateJSON(t, sch, "docs/json.md example of "+name, m[2])
	}
	for name := range schemas {
		if !seen[name] {
			t.Errorf("docs/json.md has no example of %s", name)
		}
		if !bytes.Contains(doc, []byte("schema/output/"+name+".schema.json")) {
			t.Errorf("docs/json.md does not link schema/output/%s.schema.json", name)
		}
	}
}

// TestJSONOfEveryExample runs every command that writes JSON on every
// example model, and every scenario of each, and validates the output: a
// field that some model brings out (an ODS code, a conditional way, a
// waiver) must be documented too.
func TestJSONOfEveryExample(t *testing.T) {
	chdirRoot(t)
	schemas := compileOutputSchemas(t)
	files, _ := filepath.Glob("examples/*.yaml")
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	type job struct{ args []string }
	var jobs []job
	for _, f := range files {
		m, err := model.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, mode := range model.Modes {
			jobs = append(jobs,
				job{[]string{"rank", f, "--mode", string(mode), "--format", "json"}},
				job{[]string{"chokepoints", f, "--mode", string(mode), "--top", "3", "--format", "json"}})
		}
		jobs = append(jobs,
			job{[]string{"validate", f, "--format", "json"}},
			job{[]string{"check", f, "--today", "2026-11-23", "--scenarios", "examples/policies/standards.yaml", "--format", "json"}},
			job{[]string{"check", f, "--today", "2026-11-23", "--format", "json"}},
			job{[]string{"diff", f, f, "--today", "2026-11-23", "--format", "json"}})
		for _, s := range m.Scenarios {
			jobs = append(jobs,
				job{[]string{"reach", f, "--scenario", s.Name, "--format", "json"}},
				job{[]string{"chokepoints", f, "--scenario", s.Name, "--top", "3", "--format", "json"}})
			for _, seed := range s.Seeds() {
				for _, n := range m.Organisations {
					if n.ID != seed {
						jobs = append(jobs, job{[]string{"paths", f, "--from", seed, "--to", n.ID, "--mode", string(s.Mode), "--k", "3", "--format", "json"}})
					}
				}
			}
		}
	}
	for _, j := range jobs {
		var stdout, stderr bytes.Buffer
		code := run(j.args, nil, &stdout, &stderr)
		if code == exitError && j.args[0] != "check" { // check reports a scenarios file that does not load, in its shape
			t.Errorf("%v: exit 2: %s", j.args, stderr.String())
			continue
		}
		validateJSON(t, schemas[schemaFor(j.args, code)], strings.Join(j.args, " "), stdout.Bytes())
	}
}

// TestJSONSchemaEnums checks the schemas' lists against the declarations
// they restate: relations and modes.
func TestJSONSchemaEnums(t *testing.T) {
	chdirRoot(t)
	var want []string
	for _, r := range model.AllRelations() {
		want = append(want, string(r.Relation))
	}
	var modes []string
	for _, m := range model.Modes {
		modes = append(modes, string(m))
	}
	slices.Sort(want)
	slices.Sort(modes)
	files, _ := filepath.Glob(filepath.Join(outputSchemas, "*.schema.json"))
	for _, f := range files {
		src, _ := os.ReadFile(f)
		var s struct {
			Defs map[string]struct {
				Enum []string `json:"enum"`
			} `json:"$defs"`
		}
		if err := json.Unmarshal(src, &s); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for name, list := range map[string][]string{"relation": want, "mode": modes} {
			d, ok := s.Defs[name]
			if !ok {
				continue
			}
			got := slices.Clone(d.Enum)
			slices.Sort(got)
			if !slices.Equal(got, list) {
				t.Errorf("%s: $defs.%s lists %v; the model declares %v", f, name, got, list)
			}
		}
	}
}
