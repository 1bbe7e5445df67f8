package ods

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/blastradius/blastradius/model"
)

// Changes is what an update did to one file.
type Changes struct {
	Opened []string // ids added: organisations new in ODS
	Closed []string // ids removed: organisations ODS says are closed
	// Kept are closed organisations left in place because the file still
	// names them elsewhere (in a dependency, say): remove them by hand.
	Kept []string
}

// Update refreshes the organisations of an existing model file from a fresh
// import of the same ICB. Organisations that ODS knows are updated (name,
// icb and patients; a kind set by hand is kept), new ones are added at the
// end, closed ones are removed; everything else in the file, comments,
// services, dependencies and scenarios included, is kept as written.
// closed holds the codes the import reports closed.
//
// elsewhere, if not nil, reports whether another file of the model names an
// id: a closed organisation it names is kept too, and reported, so that no
// file is left naming an organisation that is gone.
func Update(name string, existing []byte, fresh File, closed map[string]bool, elsewhere func(id string) bool) ([]byte, Changes, error) {
	var ch Changes
	var freshDoc yaml.Node
	if err := yaml.Unmarshal(fresh.Data, &freshDoc); err != nil {
		return nil, ch, err
	}
	incoming := map[string]*yaml.Node{}
	var order []string
	for _, e := range value(freshDoc.Content[0], "organisations").Content {
		code := scalarOf(value(e, "ods"))
		clearLines(e)
		incoming[code] = e
		order = append(order, code)
	}
	out, err := model.FormatEdit(name, existing, func(doc *yaml.Node) error {
		top := doc.Content[0]
		if top.Kind != yaml.MappingNode {
			return model.ErrorList{{File: name, Pos: model.Pos{Line: top.Line, Column: top.Column}, Msg: "not a model file", Hint: "--update rewrites model files that import ods wrote"}}
		}
		orgs := value(top, "organisations")
		if orgs == nil {
			orgs = &yaml.Node{Kind: yaml.SequenceNode}
			top.Content = append(top.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "organisations"}, orgs)
		}
		if orgs.Kind != yaml.SequenceNode {
			return model.ErrorList{{File: name, Pos: model.Pos{Line: orgs.Line, Column: orgs.Column}, Msg: "organisations must be a list", Hint: "write one entry a line, starting \"- \""}}
		}
		present := map[string]bool{}
		var keep []*yaml.Node
		for _, e := range orgs.Content {
			code := scalarOf(value(e, "ods"))
			id := scalarOf(value(e, "id"))
			switch {
			case code == "":
				keep = append(keep, e)
			case incoming[code] != nil:
				present[code] = true
				for _, k := range []string{"name", "icb", "patients"} {
					if v := value(incoming[code], k); v != nil {
						set(e, k, v.Value)
					}
				}
				keep = append(keep, e)
			case closed[code]:
				if named(top, orgs, id) || elsewhere != nil && elsewhere(id) {
					ch.Kept = append(ch.Kept, id)
					keep = append(keep, e)
				} else {
					ch.Closed = append(ch.Closed, id)
				}
			default:
				keep = append(keep, e)
			}
		}
		for _, code := range order {
			if !present[code] {
				e := incoming[code]
				e.Style = yaml.FlowStyle
				keep = append(keep, e)
				ch.Opened = append(ch.Opened, scalarOf(value(e, "id")))
			}
		}
		orgs.Content = keep
		return nil
	})
	if err != nil {
		return nil, Changes{}, err
	}
	return out, ch, nil
}

func clearLines(n *yaml.Node) {
	n.Line, n.Column = 0, 0
	for _, c := range n.Content {
		clearLines(c)
	}
}

func value(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func scalarOf(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// set sets a scalar key of a mapping, adding it if absent.
func set(m *yaml.Node, key, val string) {
	if v := value(m, key); v != nil {
		if v.Kind == yaml.ScalarNode && v.Value != val {
			v.Value, v.Tag, v.Style = val, "", 0
			if looksLikeOther(val) && key != "patients" {
				v.Style = yaml.DoubleQuotedStyle
			}
		}
		return
	}
	v := &yaml.Node{Kind: yaml.ScalarNode, Value: val}
	if looksLikeOther(val) && key != "patients" {
		v.Style = yaml.DoubleQuotedStyle
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
}

// named reports whether the id appears anywhere in the file outside its own
// entry: in a dependency, a service's operator, a scenario, an icb key.
func named(top, orgs *yaml.Node, id string) bool {
	var walk func(n *yaml.Node, skip bool) bool
	walk = func(n *yaml.Node, skip bool) bool {
		switch n.Kind {
		case yaml.ScalarNode:
			return !skip && n.Value == id
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if walk(n.Content[i+1], skip || n.Content[i].Value == "id" && n.Content[i+1].Value == id) {
					return true
				}
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				own := n == orgs && scalarOf(value(c, "id")) == id
				if walk(c, skip || own) {
					return true
				}
			}
		}
		return false
	}
	return walk(top, false)
}

// Summary writes what an update did, one line a kind of change.
func (c Changes) Summary(file string) string {
	var b bytes.Buffer
	if len(c.Opened) > 0 {
		fmt.Fprintf(&b, "%s: opened %d: %v\n", file, len(c.Opened), c.Opened)
	}
	if len(c.Closed) > 0 {
		fmt.Fprintf(&b, "%s: closed %d, removed: %v\n", file, len(c.Closed), c.Closed)
	}
	if len(c.Kept) > 0 {
		fmt.Fprintf(&b, "%s: closed but still named in the model, kept: %v (remove them and what names them by hand)\n", file, c.Kept)
	}
	return b.String()
}

// Names collects every scalar of a YAML file: the ids another file may
// name. A file that does not parse names nothing.
func Names(src []byte, into map[string]bool) {
	var doc yaml.Node
	if yaml.Unmarshal(src, &doc) != nil {
		return
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode {
			into[n.Value] = true
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&doc)
}
