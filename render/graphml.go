package render

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/textsafe"
)

// GraphML is for tools that lay out or analyse a graph themselves (yEd,
// Gephi, NetworkX, Cytoscape): the scene's nodes and lines with what they
// mean as attributes, not how Graphviz would draw them. The graph is flat,
// which every reader of GraphML accepts; a node's ICB cluster is an
// attribute.

// graphMLKey declares one attribute: the element it is for, its name, its
// type, and its value when a node or line leaves it out.
type graphMLKey struct {
	ID      string `xml:"id,attr"`
	For     string `xml:"for,attr"`
	Name    string `xml:"attr.name,attr"`
	Type    string `xml:"attr.type,attr"`
	Default string `xml:"default,omitempty"`
}

// graphMLKeys declares every attribute a GraphML drawing may hold; a test
// fails on data whose key is not declared here.
var graphMLKeys = []graphMLKey{
	{ID: "g_title", For: "graph", Name: "title", Type: "string"},
	{ID: "g_subtitle", For: "graph", Name: "subtitle", Type: "string"},
	{ID: "g_assume", For: "graph", Name: "assume", Type: "string"},
	{ID: "g_note", For: "graph", Name: "note", Type: "string"},
	{ID: "n_label", For: "node", Name: "label", Type: "string"},
	{ID: "n_class", For: "node", Name: "class", Type: "string"},
	{ID: "n_kind", For: "node", Name: "kind", Type: "string"},
	{ID: "n_icb", For: "node", Name: "icb", Type: "string"},
	{ID: "n_icb_name", For: "node", Name: "icb_name", Type: "string"},
	{ID: "n_effect", For: "node", Name: "effect", Type: "string"},
	{ID: "n_effects", For: "node", Name: "effects", Type: "string"},
	{ID: "n_seed", For: "node", Name: "seed", Type: "boolean", Default: "false"},
	{ID: "n_controls", For: "node", Name: "controls", Type: "string"},
	{ID: "n_assumed", For: "node", Name: "assumed", Type: "string"},
	{ID: "n_folded", For: "node", Name: "folded", Type: "int", Default: "0"},
	{ID: "n_fill", For: "node", Name: "fill", Type: "string"},
	{ID: "e_label", For: "edge", Name: "label", Type: "string"},
	{ID: "e_relations", For: "edge", Name: "relations", Type: "string"},
	{ID: "e_path", For: "edge", Name: "path", Type: "string"},
	{ID: "e_assumed", For: "edge", Name: "assumed", Type: "boolean", Default: "false"},
}

type graphMLDoc struct {
	XMLName xml.Name     `xml:"graphml"`
	NS      string       `xml:"xmlns,attr"`
	Keys    []graphMLKey `xml:"key"`
	Graph   graphMLGraph `xml:"graph"`
}

type graphMLGraph struct {
	ID          string        `xml:"id,attr"`
	EdgeDefault string        `xml:"edgedefault,attr"`
	Data        []graphMLData `xml:"data"`
	Nodes       []graphMLNode `xml:"node"`
	Edges       []graphMLEdge `xml:"edge"`
}

type graphMLNode struct {
	ID   string        `xml:"id,attr"`
	Data []graphMLData `xml:"data"`
}

type graphMLEdge struct {
	ID     string        `xml:"id,attr"`
	Source string        `xml:"source,attr"`
	Target string        `xml:"target,attr"`
	Data   []graphMLData `xml:"data"`
}

type graphMLData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

// data lists the attributes given, leaving out the empty ones.
func data(kv ...string) []graphMLData {
	var out []graphMLData
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			out = append(out, graphMLData{kv[i], kv[i+1]})
		}
	}
	return out
}

// WriteGraphML writes the scene as GraphML: one node for each node or
// group drawn and one edge for each line, from provider to consumer, in the
// order of the scene.
func WriteGraphML(out io.Writer, s *Scene) error {
	// A name that holds a character changing how text is shown is written
	// with it escaped.
	w := textsafe.NewWriter(out)
	defer w.Flush()
	icbName := map[string]string{}
	for _, c := range s.Clusters {
		icbName[c.ID] = c.Label
	}
	doc := graphMLDoc{NS: "http://graphml.graphdrawing.org/xmlns", Keys: graphMLKeys}
	doc.Graph = graphMLGraph{ID: "blastradius", EdgeDefault: "directed",
		Data: data("g_title", s.Title, "g_subtitle", s.Subtitle, "g_assume", strings.Join(s.Assume, "; "), "g_note", s.Note)}
	for _, n := range s.Nodes {
		doc.Graph.Nodes = append(doc.Graph.Nodes, graphMLNode{ID: n.ID, Data: nodeData(n, icbName[n.Cluster])})
	}
	for i, e := range s.Edges {
		var rels []string
		for _, r := range e.Relations {
			rels = append(rels, string(r.Relation))
		}
		path := ""
		if e.Hot != graph.Unaffected {
			path = e.Hot.String()
		}
		doc.Graph.Edges = append(doc.Graph.Edges, graphMLEdge{ID: "e" + strconv.Itoa(i+1), Source: e.From, Target: e.To,
			Data: data("e_label", e.Words(), "e_relations", strings.Join(rels, " "), "e_path", path, "e_assumed", yes(e.Assumed))})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// nodeData is the attributes of a node drawn.
func nodeData(n Node, icbName string) []graphMLData {
	var effects []string
	for _, e := range n.Effects {
		effects = append(effects, e.String())
	}
	folded := ""
	if n.Folded > 0 {
		folded = strconv.Itoa(n.Folded)
	}
	return data("n_label", n.Label, "n_class", string(n.Class), "n_kind", n.Kind,
		"n_icb", n.Cluster, "n_icb_name", icbName, "n_effect", n.Effect.String(),
		"n_effects", strings.Join(effects, " "), "n_seed", yes(n.Seed),
		"n_controls", strings.Join(n.Controls, " "), "n_assumed", strings.Join(n.Assumed, ", "),
		"n_folded", folded, "n_fill", fill[n.Fill])
}

// yes is a GraphML boolean that is true, or nothing.
func yes(b bool) string {
	if b {
		return "true"
	}
	return ""
}
