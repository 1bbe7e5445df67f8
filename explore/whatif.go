package explore

import (
	"fmt"
	"slices"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// WhatIf is a set of changes tried on a model before a scenario is analysed:
// the assumptions of a scenario, and alternatives that no assume: block can
// state. "control:ID:NAME", "remove:FROM:TO[:TYPE]" and
// "alternative:FROM:TO:ALT", joined by commas, is its text in URLs.
type WhatIf struct {
	Controls     []Control     `json:"controls,omitempty"`
	Remove       []Removal     `json:"remove,omitempty"`
	Alternatives []Alternative `json:"alternatives,omitempty"`
}

// Control adds a control to a node.
type Control struct {
	ID      string `json:"id"`
	Control string `json:"control"`
}

// Removal removes the dependencies of From on To, or only those of Type.
type Removal struct {
	From string         `json:"from"`
	To   string         `json:"to"`
	Type model.Relation `json:"type,omitempty"`
}

// Alternative gives From's dependency on To a second provider, Alt.
type Alternative struct {
	From string `json:"from"`
	To   string `json:"to"`
	Alt  string `json:"alternative"`
}

// Empty reports whether the what-if changes nothing.
func (w WhatIf) Empty() bool {
	return len(w.Controls) == 0 && len(w.Remove) == 0 && len(w.Alternatives) == 0
}

// ParseWhatIf reads a what-if from its URL text. It checks the form only;
// Apply checks the ids against a model.
func ParseWhatIf(s string) (WhatIf, error) {
	var w WhatIf
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		f := strings.Split(item, ":")
		switch {
		case f[0] == "control" && len(f) == 3:
			w.Controls = append(w.Controls, Control{f[1], f[2]})
		case f[0] == "remove" && (len(f) == 3 || len(f) == 4):
			r := Removal{From: f[1], To: f[2]}
			if len(f) == 4 {
				r.Type = model.Relation(f[3])
			}
			w.Remove = append(w.Remove, r)
		case f[0] == "alternative" && len(f) == 4:
			w.Alternatives = append(w.Alternatives, Alternative{f[1], f[2], f[3]})
		default:
			return WhatIf{}, fmt.Errorf("what-if %q: use control:ID:CONTROL, remove:FROM:TO[:TYPE] or alternative:FROM:TO:ALT", item)
		}
	}
	return w.normal(), nil
}

// normal sorts and dedupes the changes, so that one what-if has one text.
func (w WhatIf) normal() WhatIf {
	slices.SortFunc(w.Controls, func(a, b Control) int { return strings.Compare(a.ID+":"+a.Control, b.ID+":"+b.Control) })
	w.Controls = slices.Compact(w.Controls)
	slices.SortFunc(w.Remove, func(a, b Removal) int {
		return strings.Compare(a.From+":"+a.To+":"+string(a.Type), b.From+":"+b.To+":"+string(b.Type))
	})
	w.Remove = slices.Compact(w.Remove)
	slices.SortFunc(w.Alternatives, func(a, b Alternative) int {
		return strings.Compare(a.From+":"+a.To+":"+a.Alt, b.From+":"+b.To+":"+b.Alt)
	})
	w.Alternatives = slices.Compact(w.Alternatives)
	return w
}

// Item is one change of a what-if: its URL text and its words.
type Item struct {
	Text  string `json:"text"`
	Words string `json:"words"`
}

// Items lists the changes in order, each as text and in words ("mfa on
// synnovis-lims", "no service dependency of gstt on synnovis-lims").
func (w WhatIf) Items() []Item {
	items := []Item{}
	for _, c := range w.Controls {
		items = append(items, Item{"control:" + c.ID + ":" + c.Control, c.Control + " on " + c.ID})
	}
	for _, r := range w.Remove {
		text, kind := "remove:"+r.From+":"+r.To, "dependency"
		if r.Type != "" {
			text, kind = text+":"+string(r.Type), string(r.Type)+" dependency"
		}
		items = append(items, Item{text, "no " + kind + " of " + r.From + " on " + r.To})
	}
	for _, a := range w.Alternatives {
		items = append(items, Item{"alternative:" + a.From + ":" + a.To + ":" + a.Alt, a.Alt + " as an alternative for " + a.From + "'s dependency on " + a.To})
	}
	return items
}

// String is the what-if's URL text.
func (w WhatIf) String() string {
	var parts []string
	for _, it := range w.Items() {
		parts = append(parts, it.Text)
	}
	return strings.Join(parts, ",")
}

// Words says the what-if in words, its changes joined by semicolons.
func (w WhatIf) Words() string {
	var parts []string
	for _, it := range w.Items() {
		parts = append(parts, it.Words)
	}
	return strings.Join(parts, "; ")
}

// Join returns the changes of both.
func (w WhatIf) Join(o WhatIf) WhatIf {
	return WhatIf{
		Controls:     append(slices.Clone(w.Controls), o.Controls...),
		Remove:       append(slices.Clone(w.Remove), o.Remove...),
		Alternatives: append(slices.Clone(w.Alternatives), o.Alternatives...),
	}.normal()
}

// FromAssumptions is the what-if a scenario's assume: block states.
func FromAssumptions(a model.Assumptions) WhatIf {
	var w WhatIf
	for _, c := range a.Controls {
		for _, x := range c.Controls {
			w.Controls = append(w.Controls, Control{c.ID.Value, x.Value})
		}
	}
	for _, r := range a.Remove {
		w.Remove = append(w.Remove, Removal{r.From.Value, r.To.Value, r.Type})
	}
	return w.normal()
}

// Apply returns a copy of m with the what-if made, through model.Apply for
// controls and removals, as "reach --scenario" does. m is not changed.
// Unknown ids, controls and relations, and removals or alternatives that
// match no dependency, are errors.
func (w WhatIf) Apply(m *model.Model) (*model.Model, error) {
	if w.Empty() {
		return m, nil
	}
	known := func(id string) error {
		if m.Node(id) != nil {
			return nil
		}
		var ids []string
		for _, n := range m.Nodes() {
			ids = append(ids, n.ID)
		}
		return &graph.UnknownIDError{ID: id, Suggestion: model.Suggest(id, ids)}
	}
	var a model.Assumptions
	for _, c := range w.Controls {
		if err := known(c.ID); err != nil {
			return nil, err
		}
		if !slices.Contains(model.Controls, c.Control) {
			return nil, fmt.Errorf("unknown control %q: use one of %s", c.Control, strings.Join(model.Controls, ", "))
		}
		a.Controls = append(a.Controls, model.AddControls{ID: model.Ref{Value: c.ID}, Controls: []model.Ref{{Value: c.Control}}})
	}
	for _, r := range w.Remove {
		if r.Type != "" && !slices.Contains(model.Relations, r.Type) {
			return nil, fmt.Errorf("unknown relation %q", r.Type)
		}
		rm := model.Removal{From: model.Ref{Value: r.From}, To: model.Ref{Value: r.To}, Type: r.Type}
		if !slices.ContainsFunc(m.Dependencies, rm.Matches) {
			return nil, fmt.Errorf("no dependency of %q on %q to remove", r.From, r.To)
		}
		a.Remove = append(a.Remove, rm)
	}
	out := m.Apply(a)
	if len(w.Alternatives) == 0 {
		return out, nil
	}
	if out == m {
		c := *m
		out = &c
	}
	deps := slices.Clone(out.Dependencies)
	for _, alt := range w.Alternatives {
		if err := known(alt.Alt); err != nil {
			return nil, err
		}
		found := false
		for i, d := range deps {
			if d.From == alt.From && d.To == alt.To && d.Type == model.Service {
				c := *d
				c.Alternatives = append(slices.Clone(d.Alternatives), alt.Alt)
				c.AlternativePos = nil
				deps[i] = &c
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("no service dependency of %q on %q to give an alternative", alt.From, alt.To)
		}
	}
	out.Dependencies = deps
	return out, nil
}

// YAML writes the what-if as an assume: block for a scenario of the model
// file. Alternatives are not assumptions: they are written as comments
// saying where to add them.
func (w WhatIf) YAML(m *model.Model) string {
	var b strings.Builder
	b.WriteString("assume:\n")
	if len(w.Controls) > 0 {
		b.WriteString("  controls:\n")
		var ids []string
		by := map[string][]string{}
		for _, c := range w.Controls {
			if by[c.ID] == nil {
				ids = append(ids, c.ID)
			}
			by[c.ID] = append(by[c.ID], c.Control)
		}
		for _, id := range ids {
			fmt.Fprintf(&b, "    %s: [%s]\n", yamlWord(id), strings.Join(by[id], ", "))
		}
	}
	if len(w.Remove) > 0 {
		b.WriteString("  remove:\n")
		for _, r := range w.Remove {
			if r.Type != "" {
				fmt.Fprintf(&b, "    - {from: %s, to: %s, type: %s}\n", yamlWord(r.From), yamlWord(r.To), r.Type)
			} else {
				fmt.Fprintf(&b, "    - {from: %s, to: %s}\n", yamlWord(r.From), yamlWord(r.To))
			}
		}
	}
	for _, a := range w.Alternatives {
		where := ""
		for _, d := range m.Dependencies {
			if d.From == a.From && d.To == a.To && d.Type == model.Service {
				where = fmt.Sprintf(" (line %d)", d.Pos.Line)
				break
			}
		}
		fmt.Fprintf(&b, "  # not an assumption: add %s to the alternatives of %s's dependency on %s%s\n", a.Alt, a.From, a.To, where)
	}
	return b.String()
}

// yamlWord quotes an id unless it is a plain YAML word.
func yamlWord(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return fmt.Sprintf("%q", s)
		}
	}
	if s == "" {
		return `""`
	}
	return s
}
