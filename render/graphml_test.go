package render

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// parsedGraphML is GraphML as a reader sees it, apart from the writer's
// own types.
type parsedGraphML struct {
	XMLName xml.Name `xml:"graphml"`
	NS      string   `xml:"xmlns,attr"`
	Keys    []struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
	} `xml:"key"`
	Graph struct {
		EdgeDefault string          `xml:"edgedefault,attr"`
		Data        []parsedData    `xml:"data"`
		Nodes       []parsedElement `xml:"node"`
		Edges       []parsedElement `xml:"edge"`
	} `xml:"graph"`
}

type parsedElement struct {
	ID     string       `xml:"id,attr"`
	Source string       `xml:"source,attr"`
	Target string       `xml:"target,attr"`
	Data   []parsedData `xml:"data"`
}

type parsedData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

// attrs reads an element's data by attribute name, checking that each key
// is declared for that element.
func attrs(t *testing.T, keys map[string][2]string, elem string, ds []parsedData) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, d := range ds {
		k, ok := keys[d.Key]
		if !ok || k[0] != elem {
			t.Errorf("%s data %q: no key declared for a %s", elem, d.Key, elem)
		}
		out[k[1]] = d.Value
	}
	return out
}

// TestGraphMLParsesBack writes scenes as GraphML, reads them back with
// encoding/xml, and checks that they hold the scene: every node in order
// with its effect, seed, fold and text (escaped names included), every
// line between two of those nodes with its relations and path.
func TestGraphMLParsesBack(t *testing.T) {
	cases := []struct {
		name, file string
		seeds      []string
		opt        Options
	}{
		{"synnovis", "../examples/synnovis-2024.yaml", []string{"synnovis-access"}, Options{Title: "Synnovis"}},
		{"folded", "../examples/synnovis-2024.yaml", []string{"synnovis-access"}, Options{MaxNodes: 14}},
		{"network", "../examples/wirral-2024.yaml", nil, Options{Title: "Wirral"}},
		{"hostile", "../cmd/blastradius/testdata/hostile-names.yaml", []string{"supplier-x"}, Options{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := load(t, c.file)
			if c.seeds != nil {
				im, err := g.Reach(c.seeds, model.Ransomware)
				if err != nil {
					t.Fatal(err)
				}
				c.opt.Impact = im
			}
			s := NewScene(g, c.opt)
			var buf bytes.Buffer
			if err := WriteGraphML(&buf, s); err != nil {
				t.Fatal(err)
			}
			var doc parsedGraphML
			if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatalf("does not parse: %v\n%s", err, buf.Bytes())
			}
			checkGraphML(t, s, &doc)
		})
	}
}

func checkGraphML(t *testing.T, s *Scene, doc *parsedGraphML) {
	t.Helper()
	if doc.NS != "http://graphml.graphdrawing.org/xmlns" || doc.Graph.EdgeDefault != "directed" {
		t.Errorf("namespace %q, edgedefault %q", doc.NS, doc.Graph.EdgeDefault)
	}
	keys := map[string][2]string{}
	for _, k := range doc.Keys {
		keys[k.ID] = [2]string{k.For, k.Name}
	}
	if g := attrs(t, keys, "graph", doc.Graph.Data); g["title"] != s.Title {
		t.Errorf("title %q, want %q", g["title"], s.Title)
	}
	if len(doc.Graph.Nodes) != len(s.Nodes) || len(doc.Graph.Edges) != len(s.Edges) {
		t.Fatalf("%d nodes and %d edges, want %d and %d", len(doc.Graph.Nodes), len(doc.Graph.Edges), len(s.Nodes), len(s.Edges))
	}
	ids := map[string]bool{}
	for i, n := range doc.Graph.Nodes {
		want := s.Nodes[i]
		a := attrs(t, keys, "node", n.Data)
		ids[n.ID] = true
		folded, _ := strconv.Atoi(a["folded"])
		if n.ID != want.ID || a["label"] != want.Label || a["effect"] != want.Effect.String() ||
			(a["seed"] == "true") != want.Seed || folded != want.Folded || a["icb"] != want.Cluster {
			t.Errorf("node %d: %q %v, want %+v", i, n.ID, a, want)
		}
	}
	for i, e := range doc.Graph.Edges {
		want := s.Edges[i]
		a := attrs(t, keys, "edge", e.Data)
		if !ids[e.Source] || !ids[e.Target] {
			t.Errorf("edge %s: %s -> %s, not between two nodes", e.ID, e.Source, e.Target)
		}
		if e.Source != want.From || e.Target != want.To || a["label"] != want.Words() ||
			!strings.HasPrefix(a["relations"], string(want.Relations[0].Relation)) || (a["path"] != "") != (want.Hot.String() != "unaffected") {
			t.Errorf("edge %d: %s -> %s %v, want %+v", i, e.Source, e.Target, a, want)
		}
	}
}

// TestGraphMLGolden keeps the GraphML of one drawing as a golden file.
func TestGraphMLGolden(t *testing.T) {
	g := load(t, "../examples/synnovis-2024.yaml")
	im, err := g.Reach([]string{"synnovis-access"}, model.Ransomware)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteGraphML(&buf, NewScene(g, Options{Impact: im, MaxNodes: 14})); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "synnovis-folded.graphml")
	if *update {
		os.WriteFile(golden, buf.Bytes(), 0o644)
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./render -update)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("the GraphML differs from %s (run go test ./render -update to accept)", golden)
	}
}
