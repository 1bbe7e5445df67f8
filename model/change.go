package model

import (
	"fmt"
	"strconv"
	"strings"
)

// ChangeKind is what a Change does to a model.
type ChangeKind string

const (
	// AddControl gives the node ID the control Control.
	AddControl ChangeKind = "add-control"
	// RemoveControl takes the control Control away from the node ID.
	RemoveControl ChangeKind = "remove-control"
	// RemoveDependency removes every dependency of From on To, or only
	// the one of Type.
	RemoveDependency ChangeKind = "remove-dependency"
	// AddDependency adds Dependency.
	AddDependency ChangeKind = "add-dependency"
	// AddAlternative gives the service dependency of From on To the
	// provider Alternative, or, when Alternative is empty, one outside the
	// model that no compromise takes down.
	AddAlternative ChangeKind = "add-alternative"
	// AddAid makes To a helper of From with Aid: the service dependency of
	// From on To gains it, or one is added that carries only the aid.
	AddAid ChangeKind = "add-aid"
	// SetStock gives the stock ID the days held and alert of Stock.
	SetStock ChangeKind = "set-stock"
)

// ChangeKinds lists the kinds in the order Apply makes them: removals
// first.
var ChangeKinds = []ChangeKind{RemoveDependency, RemoveControl, AddControl, AddDependency, AddAlternative, AddAid, SetStock}

// Change is one what-if change to a model. A scenario's assume: block
// (Assumptions.Changes), the --scenario flags, the explorer's what-ifs and
// recommend's advice are each a list of them, and Model.Apply makes them.
type Change struct {
	Kind ChangeKind
	// ID and Control are the node and the control of AddControl and
	// RemoveControl.
	ID, Control string
	// From, To and Type name the dependency removed, added or given an
	// alternative; Type is empty for a removal of every relation between
	// the pair, and is the service relation for AddAlternative.
	From, To string
	Type     Relation
	// Dependency is the dependency AddDependency adds.
	Dependency *Dependency
	// Alternative is the provider AddAlternative adds; empty for one
	// outside the model.
	Alternative string
	// Aid is the help AddAid gives.
	Aid *Aid
	// Stock is what SetStock holds: days and alert, a negative one kept
	// as the model has it; SetStock's ID names the stock.
	Stock *Stock
	// Pos is where the change is written, if it is written in a file.
	Pos Pos
}

// String says the change in words, as an instruction: "add mfa to gstt",
// "remove the service dependency of gstt on synnovis-lims".
func (c Change) String() string {
	switch c.Kind {
	case AddControl:
		return fmt.Sprintf("add %s to %s", c.Control, c.ID)
	case RemoveControl:
		return fmt.Sprintf("remove %s from %s", c.Control, c.ID)
	case RemoveDependency:
		if c.Type == "" {
			return fmt.Sprintf("remove every dependency of %s on %s", c.From, c.To)
		}
		return fmt.Sprintf("remove the %s dependency of %s on %s", c.Type, c.From, c.To)
	case AddDependency:
		d := c.Dependency
		if d == nil {
			d = &Dependency{From: c.From, To: c.To, Type: c.Type, Critical: true, Likelihood: 1}
		}
		s := fmt.Sprintf("add a %s dependency of %s on %s", d.Type, d.From, d.To)
		if d.Type.HasAlternatives() && !d.Critical {
			s += ", not critical"
		}
		if len(d.Alternatives) > 0 {
			s += ", with " + strings.Join(d.Alternatives, " and ") + " as alternative"
			if len(d.Alternatives) > 1 {
				s += "s"
			}
		}
		if d.Likelihood != 1 {
			s += ", likelihood " + strconv.FormatFloat(d.Likelihood, 'f', -1, 64)
		}
		return s
	case AddAlternative:
		if c.Alternative == "" {
			return fmt.Sprintf("give %s an alternative to %s (a second provider or a fallback that a compromise does not reach)", c.From, c.To)
		}
		return fmt.Sprintf("give %s %s as an alternative to %s", c.From, c.Alternative, c.To)
	case AddAid:
		return fmt.Sprintf("make %s a helper of %s", c.To, c.From) + aidWords(c.Aid)
	case SetStock:
		if c.Stock == nil {
			return "change the stock " + c.ID
		}
		var parts []string
		if c.Stock.Days >= 0 {
			parts = append(parts, "hold "+num(c.Stock.Days)+" days of "+c.ID)
		} else {
			parts = append(parts, "keep the days of "+c.ID)
		}
		if c.Stock.Alert >= 0 {
			parts = append(parts, "alert below "+num(c.Stock.Alert))
		}
		return strings.Join(parts, ", ")
	}
	return string(c.Kind)
}

// removes reports whether the RemoveDependency change c removes d.
func (c Change) removes(d *Dependency) bool {
	return Removal{From: Ref{Value: c.From}, To: Ref{Value: c.To}, Type: c.Type}.Matches(d)
}

// Changes lists the assumptions one change at a time, in the order Apply
// makes them, each at the position it is written.
func (a Assumptions) Changes() []Change {
	var out []Change
	for _, r := range a.Remove {
		out = append(out, Change{Kind: RemoveDependency, From: r.From.Value, To: r.To.Value, Type: r.Type, Pos: r.Pos})
	}
	for _, c := range a.RemoveControls {
		for _, x := range c.Controls {
			out = append(out, Change{Kind: RemoveControl, ID: c.ID.Value, Control: x.Value, Pos: x.Pos})
		}
	}
	for _, c := range a.Controls {
		for _, x := range c.Controls {
			out = append(out, Change{Kind: AddControl, ID: c.ID.Value, Control: x.Value, Pos: x.Pos})
		}
	}
	for _, d := range a.Add {
		out = append(out, Change{Kind: AddDependency, From: d.From, To: d.To, Type: d.Type, Dependency: d, Pos: d.Pos})
	}
	for _, alt := range a.Alternatives {
		for _, x := range alt.Add {
			out = append(out, Change{Kind: AddAlternative, From: alt.From.Value, To: alt.To.Value, Type: Service, Alternative: x.Value, Pos: x.Pos})
		}
	}
	for _, l := range a.Aid {
		out = append(out, Change{Kind: AddAid, From: l.From.Value, To: l.To.Value, Type: Service, Aid: l.Aid, Pos: l.Pos})
	}
	for _, st := range a.Stocks {
		c := Change{Kind: SetStock, ID: st.ID.Value, Pos: st.Pos, Stock: &Stock{Days: -1, Alert: -1, Pos: st.Pos}}
		if st.Days != nil {
			c.Stock.Days = *st.Days
		}
		if st.Alert != nil {
			c.Stock.Alert = *st.Alert
		}
		out = append(out, c)
	}
	return out
}

// aidWords says an aid's terms: " from day 3, headroom 0.05, shed 0.1".
func aidWords(a *Aid) string {
	if a == nil {
		return ""
	}
	s := fmt.Sprintf(" from day %d", a.After)
	if a.For > 0 {
		s += fmt.Sprintf(" for %d days", a.For)
	}
	if a.Headroom > 0 {
		s += ", headroom " + num(a.Headroom)
	}
	if a.Shed > 0 {
		s += ", shed " + num(a.Shed)
	}
	return s
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
