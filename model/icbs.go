package model

import (
	"fmt"

	"github.com/blastradius/blastradius/internal/english"

	"go.yaml.in/yaml/v3"
)

// Regional providers. An organisation names the ICB it belongs to with
// icb: ID; one that serves several (an ambulance trust, a specialist
// trust, a regional supplier of care) names them all, as a list
// (icb: [a, b]: its one figure is then split among them by their
// populations, an estimate) or with its people in each
// (icb: {a: 4000000, b: 3000000}: exact, and its figure is their sum).

// ICBShare is one ICB an organisation serves.
type ICBShare struct {
	ID string
	// People is the organisation's people in this ICB, if the file gives
	// them (Given); otherwise the count splits the organisation's figure.
	People int64
	Given  bool
	Pos    Pos
}

// ServedICBs returns the ICBs the organisation serves: ICBs, or ICB alone
// for a node that only sets it.
func (n *Node) ServedICBs() []ICBShare {
	if len(n.ICBs) == 0 && n.ICB != "" {
		return []ICBShare{{ID: n.ICB, Pos: n.At("icb")}}
	}
	return n.ICBs
}

// Regional reports whether the organisation names more than one ICB.
func (n *Node) Regional() bool { return len(n.ICBs) > 1 }

// PeoplePerICB reports whether the file gives the organisation's people
// ICB by ICB.
func (n *Node) PeoplePerICB() bool { return len(n.ICBs) > 0 && n.ICBs[0].Given }

// icbs reads icb: an id, a list of ids, or a mapping of id to people.
func (p *parser) icbs(n *yaml.Node, o *Node) {
	d := deref(n)
	switch d.Kind {
	case yaml.SequenceNode:
		if len(d.Content) == 0 {
			p.errorf(n, "name the ICBs it serves, such as [nw-icb, lsc-icb], or leave icb out", "icb is an empty list")
			return
		}
		for _, item := range d.Content {
			s, ok := p.id(item, "icb")
			if !ok {
				continue
			}
			if p.repeatedICB(item, o, s) {
				continue
			}
			o.ICBs = append(o.ICBs, ICBShare{ID: s, Pos: p.at(item)})
		}
	case yaml.MappingNode:
		if len(d.Content) == 0 {
			p.errorf(n, "give the people it serves in each ICB, such as {nw-icb: 2500000, lsc-icb: 1800000}, or leave icb out", "icb is an empty mapping")
			return
		}
		for i := 0; i+1 < len(d.Content); i += 2 {
			k, v := d.Content[i], d.Content[i+1]
			s, ok := p.id(k, "icb")
			if !ok {
				continue
			}
			people, good := p.integer(v, fmt.Sprintf("people in %s", s), 0, maxPatients)
			if !good || p.repeatedICB(k, o, s) {
				continue
			}
			o.ICBs = append(o.ICBs, ICBShare{ID: s, People: people, Given: true, Pos: p.at(k)})
		}
	default:
		s, ok := p.id(n, "icb")
		if ok {
			o.ICBs = []ICBShare{{ID: s, Pos: p.at(n)}}
		}
	}
	if len(o.ICBs) > 0 {
		o.ICB = o.ICBs[0].ID
	}
}

func (p *parser) repeatedICB(n *yaml.Node, o *Node, id string) bool {
	for _, s := range o.ICBs {
		if s.ID == id {
			p.errorf(n, fmt.Sprintf("first at line %d, column %d; remove one of them", s.Pos.Line, s.Pos.Column), "icb %q is named twice", id)
			return true
		}
	}
	return false
}

// peopleOfICBs settles patients for an organisation that gives its people
// ICB by ICB: their sum, which a patients figure, if given, must equal.
func (p *parser) peopleOfICBs(n *yaml.Node, o *Node, patients *yaml.Node) {
	if !o.PeoplePerICB() {
		return
	}
	var sum int64
	for _, s := range o.ICBs {
		sum += s.People
	}
	if patients == nil {
		o.Patients = sum
		return
	}
	if o.Patients != sum {
		p.errorf(patients, fmt.Sprintf("the people it serves in its ICBs add up to %d; write patients: %d, or leave patients out", sum, sum),
			"patients %d of %q is not the sum of its people by ICB", o.Patients, o.ID)
	}
}

// GivesPatients reports whether the file gives the organisation's figure,
// as patients or as its people ICB by ICB (0 is a figure).
func (n *Node) GivesPatients() bool { return n.Gives("patients") || n.PeoplePerICB() }

// checkICBs checks that every ICB an organisation names is one.
func checkICBs(p *parser, ix *index, o *Node) {
	for _, s := range o.ServedICBs() {
		if icb := ix.resolve(p, o.Pos.File, s.Pos, fmt.Sprintf("icb of %q", o.ID), s.ID); icb != nil && (icb.Class != ClassOrganisation || icb.Kind != "icb") {
			p.addIn(o.Pos.File, SevError, s.Pos, fmt.Sprintf("icb of %q names %q, which is a %s, not an ICB", o.ID, s.ID, icb.Kind), "name an organisation of kind icb")
		}
	}
}

// countsPeople reports whether an organisation's figure is people it
// serves: a supplier serves organisations, an ICB's figure is a cap, and
// a national body's catchment is everyone, which overlaps every ICB.
func countsPeople(o *Node) bool {
	return o.Kind != "supplier" && o.Kind != "icb" && o.Kind != "national-body"
}

// checkPeopleFigures warns where counting people cannot bound a figure: an
// organisation with a figure that names no ICB while the model has ICBs
// (its people may be anyone's, so they are not added to the ICBs'), and an
// ICB without a population whose members give figures (nothing caps them).
func checkPeopleFigures(m *Model, p *parser) {
	icbs := map[string]*Node{}
	for _, o := range m.Organisations {
		if o.Kind == "icb" {
			icbs[o.ID] = o
		}
	}
	if len(icbs) == 0 {
		return
	}
	members := map[string]int{}
	for _, o := range m.Organisations {
		if !countsPeople(o) || !o.GivesPatients() || o.Patients == 0 {
			continue
		}
		if o.ICB == "" {
			p.addIn(o.Pos.File, SevWarning, o.At("patients"), fmt.Sprintf("%q gives %s people but names no ICB: counting people cannot tell which ICBs' they are, so they are not added to the ICBs' people", o.ID, english.Commas(o.Patients)),
				"add icb: the ICB it belongs to, a list of the ICBs it serves, or its people in each, such as {nw-icb: 2500000, lsc-icb: 1800000}")
			continue
		}
		for _, s := range o.ServedICBs() {
			members[s.ID]++
		}
	}
	for _, icb := range m.Organisations {
		if n := members[icb.ID]; n > 0 && icbs[icb.ID] == icb && !icb.GivesPatients() {
			p.addIn(icb.Pos.File, SevWarning, icb.Pos, fmt.Sprintf("ICB %q gives no patients: the people of its %d members with figures are not capped by its population", icb.ID, n),
				"add patients: the ICB's population, from its published registered-population figure")
		}
	}
}

// ICBWeights weighs the ICBs a regional organisation serves, for adding
// its figures up ICB by ICB; icbs are the nodes of the ICBs it names, in
// its order. The weights are its people in each where the file gives them;
// otherwise the ICBs' populations where every one gives one above 0;
// otherwise 1 each, and equally says so.
func ICBWeights(n *Node, icbs []*Node) (weights []int64, equally bool) {
	weights = make([]int64, len(icbs))
	if n.PeoplePerICB() {
		for k, icb := range icbs {
			for _, s := range n.ICBs {
				if s.ID == icb.ID {
					weights[k] = s.People
				}
			}
		}
		return weights, false
	}
	for k, icb := range icbs {
		if !icb.GivesPatients() || icb.Patients <= 0 {
			equally = true
			break
		}
		weights[k] = icb.Patients
	}
	if equally {
		for k := range weights {
			weights[k] = 1
		}
	}
	return weights, equally
}

// HomeICB is the ICB a drawing places the organisation in: its one ICB, or
// none for an organisation that serves several (or none).
func (n *Node) HomeICB() string {
	if n.Regional() {
		return ""
	}
	return n.ICB
}
