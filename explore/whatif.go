package explore

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/blastradius/blastradius/model"
)

// WhatIf is a set of changes tried on a model before a scenario is
// analysed: model.Changes, of the seven kinds a scenario's assume: block
// states. Its text in URLs is one item per change, joined by commas:
//
//	control:ID:CONTROL                      controls: {ID: [CONTROL]}
//	uncontrol:ID:CONTROL                    remove_controls: {ID: [CONTROL]}
//	remove:FROM:TO[:TYPE]                   remove: [{from: FROM, to: TO, type: TYPE}]
//	add:FROM:TO:TYPE[:critical=false][:alt=ID]...[:likelihood=P]
//	                                        add: [{from: FROM, to: TO, type: TYPE, ...}]
//	alternative:FROM:TO:ALT                 alternatives: [{from: FROM, to: TO, add: [ALT]}]
//	aid:FROM:TO[:after=D][:for=D][:headroom=F][:shed=F]
//	                                        aid: [{from: FROM, to: TO, after: D, ...}]
//	stock:ID[:days=D][:alert=A]             stock: {ID: {days: D, alert: A}}
type WhatIf struct {
	// Changes are sorted by their text, each once.
	Changes []model.Change
}

// Empty reports whether the what-if changes nothing.
func (w WhatIf) Empty() bool { return len(w.Changes) == 0 }

// whatIfForms says how each change is written, for errors.
const whatIfForms = "use control:ID:CONTROL, uncontrol:ID:CONTROL, remove:FROM:TO[:TYPE], add:FROM:TO:TYPE[:critical=false][:alt=ID]...[:likelihood=P], alternative:FROM:TO:ALT, aid:FROM:TO[:after=D][:for=D][:headroom=F][:shed=F] or stock:ID[:days=D][:alert=A]"

// MaxWhatIfChanges is the most changes one what-if may try: a request
// costs what its changes touch, and a page that knows the port cannot make
// one run for minutes.
const MaxWhatIfChanges = 500

// WhatIfError is a what-if that cannot be tried: its form, or a change
// that does not fit the model. The page shows it beside the what-if's
// form, so that the rest of the page stays.
type WhatIfError struct{ Err error }

func (e *WhatIfError) Error() string { return e.Err.Error() }
func (e *WhatIfError) Unwrap() error { return e.Err }

// ParseWhatIf reads a what-if from its URL text. It checks the form only;
// Assumptions checks the changes against a model. Its errors are
// *WhatIfError.
func ParseWhatIf(s string) (WhatIf, error) {
	w, err := parseWhatIf(s)
	if err != nil {
		return WhatIf{}, &WhatIfError{err}
	}
	return w, nil
}

func parseWhatIf(s string) (WhatIf, error) {
	var w WhatIf
	if n := len(strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })); n > MaxWhatIfChanges {
		return WhatIf{}, fmt.Errorf("what-if: %d changes, more than the %d one what-if may try (try them in smaller groups, or write them as a scenario's assume: block in the model and run check)", n, MaxWhatIfChanges)
	}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		f := strings.Split(item, ":")
		for _, x := range f[1:] {
			if !plainWord(x) {
				return WhatIf{}, fmt.Errorf("what-if %q: %q is not an id, a control or a relation (%s)", item, x, whatIfForms)
			}
		}
		switch {
		case f[0] == "control" && len(f) == 3:
			w.Changes = append(w.Changes, model.Change{Kind: model.AddControl, ID: f[1], Control: f[2]})
		case f[0] == "uncontrol" && len(f) == 3:
			w.Changes = append(w.Changes, model.Change{Kind: model.RemoveControl, ID: f[1], Control: f[2]})
		case f[0] == "remove" && (len(f) == 3 || len(f) == 4):
			r := model.Change{Kind: model.RemoveDependency, From: f[1], To: f[2]}
			if len(f) == 4 {
				r.Type = model.Relation(f[3])
			}
			w.Changes = append(w.Changes, r)
		case f[0] == "add" && len(f) >= 4:
			d, err := parseAddition(f[1:])
			if err != nil {
				return WhatIf{}, fmt.Errorf("what-if %q: %v", item, err)
			}
			w.Changes = append(w.Changes, model.Change{Kind: model.AddDependency, From: d.From, To: d.To, Type: d.Type, Dependency: d})
		case f[0] == "alternative" && len(f) == 4:
			w.Changes = append(w.Changes, model.Change{Kind: model.AddAlternative, From: f[1], To: f[2], Type: model.Service, Alternative: f[3]})
		case f[0] == "aid" && len(f) >= 3:
			a, err := parseAid(f[3:])
			if err != nil {
				return WhatIf{}, fmt.Errorf("what-if %q: %v", item, err)
			}
			w.Changes = append(w.Changes, model.Change{Kind: model.AddAid, From: f[1], To: f[2], Type: model.Service, Aid: a})
		case f[0] == "stock" && len(f) >= 3:
			st, err := parseStock(f[2:])
			if err != nil {
				return WhatIf{}, fmt.Errorf("what-if %q: %v", item, err)
			}
			w.Changes = append(w.Changes, model.Change{Kind: model.SetStock, ID: f[1], Stock: st})
		default:
			return WhatIf{}, fmt.Errorf("what-if %q: %s", item, whatIfForms)
		}
	}
	return w.normal(), nil
}

// parseAddition reads FROM:TO:TYPE and the options after it.
func parseAddition(f []string) (*model.Dependency, error) {
	a := &model.Dependency{From: f[0], To: f[1], Type: model.Relation(f[2]), Critical: true, Likelihood: 1}
	likely := false
	for _, opt := range f[3:] {
		key, val, _ := strings.Cut(opt, "=")
		switch {
		case key == "critical" && (val == "false" || val == "true"):
			a.Critical = val == "true"
		case key == "alt" && val != "":
			a.Alternatives = append(a.Alternatives, val)
		case key == "likelihood" && !likely:
			p, err := strconv.ParseFloat(val, 64)
			if err != nil || math.IsNaN(p) || p < 0 || p > 1 {
				return a, fmt.Errorf("likelihood %q: give a chance from 0 to 1, such as 0.6", val)
			}
			a.Likelihood, likely = p, true
		default:
			return a, fmt.Errorf("%q: after add:FROM:TO:TYPE write critical=false, alt=ID or likelihood=P", opt)
		}
	}
	return a, nil
}

// parseAid reads the terms after aid:FROM:TO. Their values are checked
// when the what-if is read as an assume: block.
func parseAid(f []string) (*model.Aid, error) {
	a := &model.Aid{}
	seen := map[string]bool{}
	for _, opt := range f {
		key, val, _ := strings.Cut(opt, "=")
		v, err := strconv.ParseFloat(val, 64)
		if seen[key] || err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%q: after aid:FROM:TO write after=D, for=D, headroom=F or shed=F, each once", opt)
		}
		seen[key] = true
		switch key {
		case "after":
			a.After = int(v)
			if float64(a.After) != v {
				return nil, fmt.Errorf("%q: after is a whole number of days", opt)
			}
		case "for":
			a.For = int(v)
			if float64(a.For) != v {
				return nil, fmt.Errorf("%q: for is a whole number of days", opt)
			}
		case "headroom":
			a.Headroom = v
		case "shed":
			a.Shed = v
		default:
			return nil, fmt.Errorf("%q: after aid:FROM:TO write after=D, for=D, headroom=F or shed=F", opt)
		}
	}
	return a, nil
}

// parseStock reads the terms after stock:ID; a term left out is -1, kept
// as the model has it.
func parseStock(f []string) (*model.Stock, error) {
	st := &model.Stock{Days: -1, Alert: -1}
	for _, opt := range f {
		key, val, _ := strings.Cut(opt, "=")
		v, err := strconv.ParseFloat(val, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return nil, fmt.Errorf("%q: after stock:ID write days=D or alert=A, numbers of days 0 or more", opt)
		}
		switch {
		case key == "days" && st.Days < 0:
			st.Days = v
		case key == "alert" && st.Alert < 0:
			st.Alert = v
		default:
			return nil, fmt.Errorf("%q: after stock:ID write days=D or alert=A, each once", opt)
		}
	}
	return st, nil
}

// plainWord reports whether s may stand in an item: letters, digits and
// "-_.=", which YAML reads as plain text.
func plainWord(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == '=') {
			return false
		}
	}
	return true
}

// normal sorts and dedupes the changes by their text, so that one what-if
// has one text.
func (w WhatIf) normal() WhatIf {
	if len(w.Changes) == 0 {
		return WhatIf{}
	}
	list := slices.Clone(w.Changes)
	slices.SortStableFunc(list, func(a, b model.Change) int {
		return cmp.Or(cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind)), strings.Compare(text(a), text(b)))
	})
	return WhatIf{slices.CompactFunc(list, func(a, b model.Change) bool { return text(a) == text(b) })}
}

// kindOrder orders the kinds as the what-if's text lists them: controls
// added, controls removed, removals, additions, alternatives.
func kindOrder(k model.ChangeKind) int {
	return slices.Index([]model.ChangeKind{model.AddControl, model.RemoveControl, model.RemoveDependency, model.AddDependency, model.AddAlternative, model.AddAid, model.SetStock}, k)
}

// text is a change's item in the what-if's URL text.
func text(c model.Change) string {
	switch c.Kind {
	case model.AddControl:
		return "control:" + c.ID + ":" + c.Control
	case model.RemoveControl:
		return "uncontrol:" + c.ID + ":" + c.Control
	case model.RemoveDependency:
		s := "remove:" + c.From + ":" + c.To
		if c.Type != "" {
			s += ":" + string(c.Type)
		}
		return s
	case model.AddDependency:
		a := c.Dependency
		s := "add:" + a.From + ":" + a.To + ":" + string(a.Type)
		if !a.Critical {
			s += ":critical=false"
		}
		for _, x := range a.Alternatives {
			s += ":alt=" + x
		}
		if a.Likelihood != 1 {
			s += ":likelihood=" + likelihood(a.Likelihood)
		}
		return s
	case model.AddAid:
		s := "aid:" + c.From + ":" + c.To
		if a := c.Aid; a != nil {
			for _, t := range aidTerms(a) {
				s += ":" + t[0] + "=" + t[1]
			}
		}
		return s
	case model.SetStock:
		s := "stock:" + c.ID
		if st := c.Stock; st != nil {
			if st.Days >= 0 {
				s += ":days=" + likelihood(st.Days)
			}
			if st.Alert >= 0 {
				s += ":alert=" + likelihood(st.Alert)
			}
		}
		return s
	}
	return "alternative:" + c.From + ":" + c.To + ":" + c.Alternative
}

// aidTerms are the terms of an aid that differ from the defaults, as key
// and value, in the order aid: writes them.
func aidTerms(a *model.Aid) [][2]string {
	var out [][2]string
	if a.After != 0 {
		out = append(out, [2]string{"after", strconv.Itoa(a.After)})
	}
	if a.For != 0 {
		out = append(out, [2]string{"for", strconv.Itoa(a.For)})
	}
	if a.Headroom != 0 {
		out = append(out, [2]string{"headroom", likelihood(a.Headroom)})
	}
	if a.Shed != 0 {
		out = append(out, [2]string{"shed", likelihood(a.Shed)})
	}
	return out
}

// likelihood writes a chance as a decimal that YAML and ParseFloat read back.
func likelihood(p float64) string { return strconv.FormatFloat(p, 'f', -1, 64) }

// Item is one change of a what-if: its URL text and its words.
type Item struct {
	Text  string `json:"text"`
	Words string `json:"words"`
}

// Items lists the changes in order, each as text and in words, as
// model.Change says them ("add mfa to synnovis-lims", "remove the service
// dependency of gstt on synnovis-lims").
func (w WhatIf) Items() []Item {
	items := []Item{}
	for _, c := range w.Changes {
		items = append(items, Item{text(c), c.String()})
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
	return WhatIf{append(slices.Clone(w.Changes), o.Changes...)}.normal()
}

// FromAssumptions is the what-if a scenario's assume: block states.
func FromAssumptions(a model.Assumptions) WhatIf {
	changes := a.Changes()
	for i := range changes {
		changes[i].Pos = model.Pos{} // the what-if is text, the same wherever it is written
	}
	return WhatIf{changes}.normal()
}

// whatIfFile names the assume: block that Assumptions reads, in its errors.
const whatIfFile = "what-if"

// Assumptions checks the what-if against m as a scenario's assume: block
// is checked when the file loads, and returns it as model.Assumptions:
// m.Apply makes it, as "reach --scenario" makes a scenario's. It reads the what-if's own YAML block, so the block a user
// copies into the file means what the page showed. Unknown ids (with a
// "did you mean"), controls and relations, removals that match nothing,
// alternatives to no service dependency, and additions that contradict the
// model are errors, *WhatIfError. A change that changes nothing, such as a control the
// node already has, is a warning, said without a position as the errors
// are.
func (w WhatIf) Assumptions(m *model.Model, lim model.Limits) (model.Assumptions, []string, error) {
	if w.Empty() {
		return model.Assumptions{}, nil, nil
	}
	nodes := m.Nodes()
	if len(nodes) == 0 {
		return model.Assumptions{}, nil, &WhatIfError{errors.New("what-if: the model has no organisation or service to change")}
	}
	// The scenario compromises any node: only its assumptions are read.
	src := "version: 1\nscenarios:\n  - name: what-if\n    compromise: [" + yamlWord(nodes[0].ID) + "]\n" + indent(w.YAML(), "    ")
	out, err := model.ParseScenarios(m, whatIfFile, []byte(src), lim)
	if err != nil {
		return model.Assumptions{}, nil, &WhatIfError{whatIfError(err)}
	}
	var warnings []string
	for _, e := range out.Warnings {
		if e.File == whatIfFile {
			warnings = append(warnings, words(e))
		}
	}
	return out.Scenarios[0].Assume, warnings, nil
}

// words is an entry of the what-if's block without its position.
func words(e *model.Error) string {
	msg := "what-if: " + e.Msg
	if e.Hint != "" {
		msg += " (" + e.Hint + ")"
	}
	return msg
}

// whatIfError says what is wrong with a what-if without the positions of
// its block, which the user never sees.
func whatIfError(err error) error {
	var list model.ErrorList
	if !errors.As(err, &list) || len(list.Errors()) == 0 {
		return fmt.Errorf("what-if: %v", err)
	}
	errs := list.Errors()
	msg := words(errs[0])
	if len(errs) > 1 {
		msg += fmt.Sprintf(" (and %d more errors)", len(errs)-1)
	}
	return errors.New(msg)
}

func indent(s, by string) string {
	lines := strings.SplitAfter(strings.TrimRight(s, "\n"), "\n")
	return by + strings.Join(lines, by) + "\n"
}

// YAML writes the what-if as an assume: block for a scenario of the model
// file, its keys in the order model.Apply makes them.
func (w WhatIf) YAML() string {
	var b strings.Builder
	b.WriteString("assume:\n")
	of := func(k model.ChangeKind) []model.Change {
		var out []model.Change
		for _, c := range w.Changes {
			if c.Kind == k {
				out = append(out, c)
			}
		}
		return out
	}
	if list := of(model.RemoveDependency); len(list) > 0 {
		b.WriteString("  remove:\n")
		for _, r := range list {
			if r.Type != "" {
				fmt.Fprintf(&b, "    - {from: %s, to: %s, type: %s}\n", yamlWord(r.From), yamlWord(r.To), yamlWord(string(r.Type)))
			} else {
				fmt.Fprintf(&b, "    - {from: %s, to: %s}\n", yamlWord(r.From), yamlWord(r.To))
			}
		}
	}
	controlsYAML(&b, "remove_controls", of(model.RemoveControl))
	controlsYAML(&b, "controls", of(model.AddControl))
	if list := of(model.AddDependency); len(list) > 0 {
		b.WriteString("  add:\n")
		for _, c := range list {
			a := c.Dependency
			fmt.Fprintf(&b, "    - {from: %s, to: %s, type: %s", yamlWord(a.From), yamlWord(a.To), yamlWord(string(a.Type)))
			if !a.Critical {
				b.WriteString(", critical: false")
			}
			if len(a.Alternatives) > 0 {
				fmt.Fprintf(&b, ", alternatives: [%s]", yamlWords(a.Alternatives))
			}
			if a.Likelihood != 1 {
				fmt.Fprintf(&b, ", likelihood: %s", likelihood(a.Likelihood))
			}
			b.WriteString("}\n")
		}
	}
	if list := of(model.AddAlternative); len(list) > 0 {
		b.WriteString("  alternatives:\n")
		// One entry for each dependency, its alternatives together.
		for i := 0; i < len(list); {
			a := list[i]
			var alts []string
			for ; i < len(list) && list[i].From == a.From && list[i].To == a.To; i++ {
				alts = append(alts, list[i].Alternative)
			}
			fmt.Fprintf(&b, "    - {from: %s, to: %s, add: [%s]}\n", yamlWord(a.From), yamlWord(a.To), yamlWords(alts))
		}
	}
	if list := of(model.AddAid); len(list) > 0 {
		b.WriteString("  aid:\n")
		for _, c := range list {
			fmt.Fprintf(&b, "    - {from: %s, to: %s", yamlWord(c.From), yamlWord(c.To))
			if c.Aid != nil {
				for _, t := range aidTerms(c.Aid) {
					fmt.Fprintf(&b, ", %s: %s", t[0], t[1])
				}
			}
			b.WriteString("}\n")
		}
	}
	if list := of(model.SetStock); len(list) > 0 {
		b.WriteString("  stock:\n")
		for _, c := range list {
			var terms []string
			if st := c.Stock; st != nil {
				if st.Days >= 0 {
					terms = append(terms, "days: "+likelihood(st.Days))
				}
				if st.Alert >= 0 {
					terms = append(terms, "alert: "+likelihood(st.Alert))
				}
			}
			fmt.Fprintf(&b, "    %s: {%s}\n", yamlWord(c.ID), strings.Join(terms, ", "))
		}
	}
	return b.String()
}

// controlsYAML writes controls or remove_controls: each node's controls on
// one line, in the order given.
func controlsYAML(b *strings.Builder, key string, list []model.Change) {
	if len(list) == 0 {
		return
	}
	fmt.Fprintf(b, "  %s:\n", key)
	var ids []string
	by := map[string][]string{}
	for _, c := range list {
		if by[c.ID] == nil {
			ids = append(ids, c.ID)
		}
		by[c.ID] = append(by[c.ID], c.Control)
	}
	for _, id := range ids {
		fmt.Fprintf(b, "    %s: [%s]\n", yamlWord(id), yamlWords(by[id]))
	}
}

func yamlWords(list []string) string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = yamlWord(s)
	}
	return strings.Join(out, ", ")
}

// yamlWord quotes a word unless YAML reads it plain as that text.
func yamlWord(s string) string {
	plain := s != "" && s[0] != '-' && s[0] != '.'
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			plain = false
		}
	}
	switch strings.ToLower(s) {
	case "null", "~":
		plain = false
	}
	if plain {
		return s
	}
	return strconv.Quote(s)
}
