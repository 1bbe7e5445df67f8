package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/explore"
	"github.com/blastradius/blastradius/graph"
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
// arguments and exit code.
func schemaFor(args []string, exit int) string {
	switch cmd := args[0]; {
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
		if !used[name] && !strings.HasPrefix(name, "api-") { // serve's API: TestAPIMatchesSchemas
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
// example model, and every scenario of each, and validates the output (the
// sampling commands on 200 worlds, to stay quick): a
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
				job{[]string{"chokepoints", f, "--mode", string(mode), "--top", "3", "--format", "json"}},
				job{[]string{"rank", f, "--mode", string(mode), "--risk", "--samples", "200", "--format", "json"}})
		}
		jobs = append(jobs, job{[]string{"recommend", f, "--budget", "2", "--samples", "200", "--format", "json"}})
		for _, n := range m.Nodes() {
			for _, mode := range model.Modes {
				jobs = append(jobs, job{[]string{"simulate", f, "--compromise", n.ID, "--mode", string(mode), "--samples", "200", "--format", "json"}},
					job{[]string{"timeline", f, "--compromise", n.ID, "--mode", string(mode), "--horizon", "20", "--format", "json"}})
			}
		}
		jobs = append(jobs,
			job{[]string{"validate", f, "--format", "json"}},
			job{[]string{"check", f, "--today", "2026-11-23", "--scenarios", "examples/policies/standards.yaml", "--format", "json"}},
			job{[]string{"check", f, "--today", "2026-11-23", "--format", "json"}},
			job{[]string{"diff", f, f, "--today", "2026-11-23", "--format", "json"}})
		for _, s := range m.Scenarios {
			jobs = append(jobs,
				job{[]string{"reach", f, "--scenario", s.Name, "--format", "json"}},
				job{[]string{"chokepoints", f, "--scenario", s.Name, "--top", "3", "--format", "json"}},
				job{[]string{"simulate", f, "--scenario", s.Name, "--samples", "200", "--format", "json"}},
				job{[]string{"simulate", f, "--scenario", s.Name, "--exact", "--format", "json"}},
				job{[]string{"recommend", f, "--scenario", s.Name, "--budget", "2", "--samples", "200", "--format", "json"}},
				job{[]string{"timeline", f, "--scenario", s.Name, "--horizon", "30", "--by", "week", "--crews", "2", "--samples", "50", "--format", "json"}})
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
		if code == exitError && slices.Contains(j.args, "--exact") && strings.Contains(stderr.String(), "exact enumeration handles at most") {
			continue // too many uncertain dependencies to enumerate: no JSON
		}
		if code == exitError && j.args[0] != "check" { // check reports a scenarios file that does not load, in its shape
			t.Errorf("%v: exit 2: %s", j.args, stderr.String())
			continue
		}
		validateJSON(t, schemas[schemaFor(j.args, code)], strings.Join(j.args, " "), stdout.Bytes())
	}
}

// schemaEnums are the lists of the output schemas that restate a
// declaration, in its order: the relations (those a dependency may have,
// then operator), the modes and the controls.
func schemaEnums() map[string][]string {
	var relations, modes []string
	for _, r := range model.Relations {
		relations = append(relations, string(r))
	}
	for _, r := range model.AllRelations() {
		if !r.Written {
			relations = append(relations, string(r.Relation))
		}
	}
	for _, m := range model.Modes {
		modes = append(modes, string(m))
	}
	return map[string][]string{"relation": relations, "mode": modes, "control": model.Controls}
}

// enumRE finds the list of a definition of $defs: its description, then
// its enum.
func enumRE(name string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)(\n    "` + name + `": \{\n      "description": "(?:[^"\\]|\\.)*",\n      "enum": \[\n).*?(\n      \])`)
}

// TestJSONSchemaEnums checks the schemas' lists against the declarations
// they restate (relations, modes and controls), and that every definition
// is used; -update writes the lists from the declarations.
func TestJSONSchemaEnums(t *testing.T) {
	chdirRoot(t)
	enums := schemaEnums()
	files, _ := filepath.Glob(filepath.Join(outputSchemas, "*.schema.json"))
	for _, f := range files {
		src, _ := os.ReadFile(f)
		if *update {
			for name, list := range enums {
				items := make([]string, len(list))
				for i, x := range list {
					items[i] = `        "` + x + `"`
				}
				src = enumRE(name).ReplaceAll(src, []byte("${1}"+strings.Join(items, ",\n")+"${2}"))
			}
			if err := os.WriteFile(f, src, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var s struct {
			Defs map[string]struct {
				Enum []string `json:"enum"`
			} `json:"$defs"`
		}
		if err := json.Unmarshal(src, &s); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for name := range s.Defs {
			if !bytes.Contains(src, []byte(`"#/$defs/`+name+`"`)) {
				t.Errorf("%s: $defs.%s is used nowhere", f, name)
			}
		}
		for name, list := range enums {
			d, ok := s.Defs[name]
			if !ok {
				continue
			}
			if !enumRE(name).Match(src) {
				t.Errorf("%s: $defs.%s is not written as a description, then an enum, which -update rewrites", f, name)
			}
			if !slices.Equal(d.Enum, list) {
				t.Errorf("%s: $defs.%s lists %v; the model declares %v (run go test ./cmd/blastradius -update)", f, name, d.Enum, list)
			}
		}
	}
}

// schemaNode is the part of a JSON Schema that the tables of docs/json.md
// restate.
type schemaNode struct {
	Description string                 `json:"description"`
	Type        schemaTypes            `json:"type"`
	Ref         string                 `json:"$ref"`
	Enum        []string               `json:"enum"`
	Const       any                    `json:"const"`
	Items       *schemaNode            `json:"items"`
	Properties  orderedProps           `json:"properties"`
	Required    []string               `json:"required"`
	Defs        map[string]*schemaNode `json:"$defs"`
}

// schemaTypes is a schema's type: one name, or a list such as
// ["array", "null"], written "array or null".
type schemaTypes string

func (s *schemaTypes) UnmarshalJSON(b []byte) error {
	var list []string
	if err := json.Unmarshal(b, &list); err == nil {
		*s = schemaTypes(strings.Join(list, " or "))
		return nil
	}
	var one string
	err := json.Unmarshal(b, &one)
	*s = schemaTypes(one)
	return err
}

// orderedProps keeps the properties of a schema in the order written.
type orderedProps struct {
	names []string
	nodes map[string]*schemaNode
}

func (o *orderedProps) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return err
	}
	o.nodes = map[string]*schemaNode{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name := tok.(string)
		var n schemaNode
		if err := dec.Decode(&n); err != nil {
			return err
		}
		o.names = append(o.names, name)
		o.nodes[name] = &n
	}
	return nil
}

// fieldTables writes the tables of one schema as docs/json.md shows them:
// the top level, then each object of $defs in the order written.
func fieldTables(t *testing.T, name string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(outputSchemas, name+".schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var root schemaNode
	if err := json.Unmarshal(src, &root); err != nil {
		t.Fatal(err)
	}
	// The order of $defs as written: decode them once more, in order.
	var raw struct {
		Defs orderedProps `json:"$defs"`
	}
	if err := json.Unmarshal(src, &raw); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	typeOf := func(n *schemaNode) string { return schemaType(name, n, root.Defs) }
	table := func(n *schemaNode) {
		b.WriteString("| field | type | meaning |\n|---|---|---|\n")
		for _, p := range n.Properties.names {
			v := n.Properties.nodes[p]
			desc := v.Description
			if desc == "" && v.Ref != "" {
				desc = root.Defs[strings.TrimPrefix(v.Ref, "#/$defs/")].Description
			}
			opt := " (optional)"
			if slices.Contains(n.Required, p) {
				opt = ""
			}
			fmt.Fprintf(&b, "| `%s` | %s%s | %s |\n", p, typeOf(v), opt, desc)
		}
	}
	if root.Type == "array" {
		fmt.Fprintf(&b, "%s%s: %s.\n", strings.ToUpper(root.Description[:1]), root.Description[1:], typeOf(&root))
	} else {
		table(&root)
	}
	for _, d := range raw.Defs.names {
		n := root.Defs[d]
		if n.Type != "object" {
			continue
		}
		fmt.Fprintf(&b, "\n<a id=\"%s-%s\"></a>**%s**: %s\n\n", name, d, d, n.Description)
		table(n)
	}
	return b.String()
}

func schemaType(schema string, n *schemaNode, defs map[string]*schemaNode) string {
	words := func(list []string) string {
		q := make([]string, len(list))
		for i, e := range list {
			q[i] = "`" + e + "`"
		}
		return "string: " + strings.Join(q, ", ")
	}
	switch {
	case n.Ref != "":
		name := strings.TrimPrefix(n.Ref, "#/$defs/")
		d := defs[name]
		switch {
		case len(d.Enum) > 0:
			return words(d.Enum)
		case d.Type == "object":
			return fmt.Sprintf("object ([%s](#%s-%s))", name, schema, name)
		case d.Type != "":
			return string(d.Type)
		}
		return "string"
	case strings.HasPrefix(string(n.Type), "array"):
		return strings.Replace(string(n.Type), "array", "array of "+schemaType(schema, n.Items, defs), 1)
	case len(n.Enum) > 0:
		return words(n.Enum)
	case n.Const != nil:
		return fmt.Sprintf("`%v`", n.Const)
	}
	return string(n.Type)
}

var fieldsRE = regexp.MustCompile(`(?s)(<!-- fields: ([a-z-]+); generated from schema/output by "go test ./cmd/blastradius -update" -->\n)(.*?)(<!-- end fields -->)`)

// TestJSONDocTablesMatchSchemas checks that the tables of docs/json.md are
// the ones the schemas give; -update rewrites them.
func TestJSONDocTablesMatchSchemas(t *testing.T) {
	chdirRoot(t)
	doc, err := os.ReadFile("docs/json.md")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	stale := []string{}
	out := fieldsRE.ReplaceAllFunc(doc, func(m []byte) []byte {
		sm := fieldsRE.FindSubmatch(m)
		name := string(sm[2])
		seen[name] = true
		want := fieldTables(t, name)
		if string(sm[3]) != want {
			stale = append(stale, name)
		}
		return []byte(string(sm[1]) + want + string(sm[4]))
	})
	for _, name := range slices.Sorted(maps.Keys(compileOutputSchemas(t))) {
		if !seen[name] {
			t.Errorf("docs/json.md has no generated tables for %s", name)
		}
	}
	if len(stale) == 0 {
		return
	}
	if *update {
		if err := os.WriteFile("docs/json.md", out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("docs/json.md: the tables of %s differ from their schemas (run go test ./cmd/blastradius -update)", strings.Join(stale, ", "))
}

// apiSchemas names the schema of each call of serve's API; chokepoints and
// rank answer as the commands write them.
var apiSchemas = map[string]string{
	"status": "api-status", "overview": "api-overview", "reach": "api-reach", "paths": "api-paths",
	"search": "api-search", "node": "api-node", "chokepoints": "chokepoints", "rank": "rank",
}

// TestAPIMatchesSchemas calls every JSON endpoint of serve's API on every
// example model, for every scenario and every node as the pick, and
// validates each answer, errors included, against its schema.
func TestAPIMatchesSchemas(t *testing.T) {
	chdirRoot(t)
	schemas := compileOutputSchemas(t)
	files, _ := filepath.Glob("examples/*.yaml")
	used := map[string]bool{}
	call := func(h interface {
		ServeHTTP(w http.ResponseWriter, r *http.Request)
	}, endpoint string, q url.Values) {
		r := httptest.NewRequest("GET", "/api/"+endpoint+"?"+q.Encode(), nil)
		r.Host = "127.0.0.1:8123"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		name := apiSchemas[endpoint]
		if w.Code != 200 {
			name = "api-error"
		}
		used[name] = true
		validateJSON(t, schemas[name], fmt.Sprintf("%s /api/%s?%s (%d)", r.URL.Query().Get("file"), endpoint, q.Encode(), w.Code), w.Body.Bytes())
	}
	for _, f := range files {
		m, err := model.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		h := explore.NewServer(f, model.DefaultLimits, nil).Handler(8123)
		call(h, "status", nil)
		call(h, "overview", nil)
		call(h, "rank", url.Values{"top": {"3"}})
		call(h, "search", url.Values{"q": {m.Nodes()[0].ID[:2]}})
		call(h, "node", url.Values{"id": {"no-such-node"}})
		for _, s := range m.Scenarios {
			q := url.Values{"scenario": {s.Name}}
			for _, e := range []string{"overview", "reach", "chokepoints"} {
				call(h, e, q)
			}
		}
		for _, n := range m.Nodes() {
			call(h, "node", url.Values{"id": {n.ID}})
			q := url.Values{"seed": {n.ID}}
			call(h, "reach", q)
			for _, o := range m.Organisations {
				if o.ID != n.ID {
					q.Set("to", o.ID)
					call(h, "paths", q)
					break
				}
			}
		}
	}
	for _, f := range []string{"examples/synnovis-2024.yaml"} {
		h := explore.NewServer(f, model.DefaultLimits, nil).Handler(8123)
		call(h, "reach", url.Values{"seed": {"synnovis-access"}, "assume": {"control:synnovis-lims:mfa"}})
		call(h, "chokepoints", url.Values{"seed": {"synnovis-access"}})
	}
	for _, name := range slices.Sorted(maps.Keys(schemas)) {
		if strings.HasPrefix(name, "api-") && !used[name] {
			t.Errorf("no call of the API answers in the shape %s.schema.json", name)
		}
	}
}

// measureBlocks rewrites, in a schema's text, each run of properties that
// are measures (an object's, at one indent, one after another) as the
// declaration writes them, and each run of their names in a required list:
// what -update does, so that a new measure needs no hand edit.
func measureBlocks(src []byte) []byte {
	ms := graph.Measures()
	keys := map[string]bool{}
	for _, m := range ms {
		keys[m.Key] = true
	}
	lines := strings.SplitAfter(string(src), "\n")
	// prefix reports whether names begin the declaration, two or more.
	prefix := func(names []string) bool {
		if len(names) < 2 || len(names) > len(ms) {
			return false
		}
		for k, n := range names {
			if ms[k].Key != n {
				return false
			}
		}
		return true
	}
	var out []string
	pending := "" // the indent of the properties just rewritten, whose required list comes next
	prop := regexp.MustCompile(`^( *)"([a-z_]+)": \{\n$`)
	name := regexp.MustCompile(`^( *)"([a-z_]+)",?\n$`)
	for i := 0; i < len(lines); {
		// A run of property objects whose names are measures.
		if m := prop.FindStringSubmatch(lines[i]); m != nil && m[2] == ms[0].Key {
			ind, j := m[1], i
			var names []string
			for j < len(lines) {
				p := prop.FindStringSubmatch(lines[j])
				if p == nil || p[1] != ind || !keys[p[2]] {
					break
				}
				names = append(names, p[2])
				for j++; j < len(lines) && !strings.HasPrefix(lines[j], ind+"}"); j++ {
				}
				j++
			}
			doc, _ := json.Marshal(ms[0].Doc)
			if !prefix(names) || i+1 >= len(lines) || strings.TrimSpace(lines[i+1]) != `"description": `+string(doc)+"," {
				out = append(out, lines[i])
				i++
				continue
			}
			last := strings.TrimSuffix(lines[j-1], "\n")
			pending = ind
			for k, x := range ms {
				typ := "integer"
				if x.Float {
					typ = "number"
				}
				doc, _ := json.Marshal(x.Doc)
				doc = bytes.ReplaceAll(doc, []byte(`\u0026`), []byte("&"))
				out = append(out, fmt.Sprintf("%s%q: {\n%s  \"description\": %s,\n%s  \"type\": %q,\n%s  \"minimum\": 0\n%s}", ind, x.Key, ind, doc, ind, typ, ind, ind))
				if k < len(ms)-1 {
					out = append(out, ",\n")
				}
			}
			out = append(out, strings.TrimPrefix(last, ind+"}")+"\n")
			i = j
			continue
		}
		// A run of their names in the required list of the object whose
		// properties were just rewritten.
		if m := name.FindStringSubmatch(lines[i]); m != nil && m[2] == ms[0].Key {
			ind, j := m[1], i
			var names []string
			for j < len(lines) {
				n := name.FindStringSubmatch(lines[j])
				if n == nil || n[1] != ind || !keys[n[2]] {
					break
				}
				names = append(names, n[2])
				j++
			}
			if !prefix(names) || pending != ind {
				out = append(out, lines[i])
				i++
				continue
			}
			pending = ""
			more := strings.HasSuffix(lines[j-1], ",\n")
			for k, x := range ms {
				sep := ",\n"
				if k == len(ms)-1 && !more {
					sep = "\n"
				}
				out = append(out, fmt.Sprintf("%s%q%s", ind, x.Key, sep))
			}
			i = j
			continue
		}
		out = append(out, lines[i])
		i++
	}
	return []byte(strings.Join(out, ""))
}

// TestSchemasFollowTheMeasures checks that the output schemas write the
// measures of a radius as their declaration says (graph.Measures): every
// summary, and each entry of rank, holds each measure under its key, in
// order, with its description; simulate gives a distribution, and rank
// --risk an expectation, of each sampled measure. -update writes the
// measures of the summaries and entries from the declaration.
func TestSchemasFollowTheMeasures(t *testing.T) {
	chdirRoot(t)
	read := func(name string) *schemaNode {
		t.Helper()
		path := filepath.Join(outputSchemas, name+".schema.json")
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			src = measureBlocks(src)
			if err := os.WriteFile(path, src, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var n schemaNode
		if err := json.Unmarshal(src, &n); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return &n
	}
	// figures checks that the properties of an object hold every measure,
	// in order and one after another.
	figures := func(where string, n *schemaNode) {
		t.Helper()
		ms := graph.Measures()
		i := slices.Index(n.Properties.names, ms[0].Key)
		if i < 0 || len(n.Properties.names) < i+len(ms) {
			t.Fatalf("%s: no measures in %v", where, n.Properties.names)
		}
		for k, m := range ms {
			want := "integer"
			if m.Float {
				want = "number"
			}
			got := n.Properties.names[i+k]
			p := n.Properties.nodes[got]
			if got != m.Key || p.Description != m.Doc || string(p.Type) != want || !slices.Contains(n.Required, m.Key) {
				t.Errorf("%s: property %d is %q (%s, %q, required %v); the declaration says %q (%s, %q, required)",
					where, i+k, got, p.Type, p.Description, slices.Contains(n.Required, got), m.Key, want, m.Doc)
			}
		}
	}
	for _, name := range []string{"reach", "api-reach", "chokepoints"} {
		figures(name+" $defs.summary", read(name).Defs["summary"])
	}
	rank := read("rank").Defs["entry"]
	figures("rank $defs.entry", rank)
	sim := read("simulate")
	for _, m := range graph.Sampled() {
		key := m.Info().Key
		if p := sim.Properties.nodes[key]; p == nil || p.Ref != "#/$defs/distribution" {
			t.Errorf("simulate: no distribution of %s", key)
		}
		for _, k := range []string{"expected_" + key, "expected_" + key + "_ci"} {
			if rank.Properties.nodes[k] == nil {
				t.Errorf("rank $defs.entry: no %s", k)
			}
		}
	}
}
