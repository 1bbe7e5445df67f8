package model

import (
	"fmt"
	"slices"
	"sort"
)

// index maps ids to nodes and offers "did you mean" over them.
type index struct {
	byID map[string]*Node
	num  map[string]int32 // a number for each id, for compact keys
	ids  []string         // sorted, for suggestions
}

func newIndex(m *Model, p *parser) *index {
	ix := &index{byID: make(map[string]*Node, len(m.Organisations)+len(m.Services)), num: make(map[string]int32, len(m.Organisations)+len(m.Services))}
	for _, n := range m.Nodes() {
		if first, dup := ix.byID[n.ID]; dup {
			if p != nil {
				p.add(SevError, n.Pos, fmt.Sprintf("duplicate id %q", n.ID),
					fmt.Sprintf("first defined at %s:%d:%d", p.file, first.Pos.Line, first.Pos.Column))
			}
			continue
		}
		ix.byID[n.ID] = n
		ix.num[n.ID] = int32(len(ix.num))
		ix.ids = append(ix.ids, n.ID)
	}
	sort.Strings(ix.ids)
	return ix
}

// resolve reports an id that names no node.
func (ix *index) resolve(p *parser, file string, pos Pos, what, id string) *Node {
	if n := ix.byID[id]; n != nil {
		return n
	}
	p.errs = append(p.errs, &Error{File: file, Pos: pos, Msg: fmt.Sprintf("%s %q: no such organisation or service", what, id),
		Hint: didYouMean(id, ix.ids, "define it under organisations or services, or correct the id")})
	return nil
}

// checkModel checks what the parts of a model say of each other.
func checkModel(m *Model, p *parser) {
	ix := newIndex(m, p)
	f := p.file
	ods := map[string]*Node{}
	for _, o := range m.Organisations {
		if o.ODS != "" {
			if first, dup := ods[o.ODS]; dup && first != o {
				p.add(SevWarning, o.At("ods"), fmt.Sprintf("ODS code %q of %q is also the code of %q", o.ODS, o.ID, first.ID), "an ODS code names one organisation; check both")
			} else {
				ods[o.ODS] = o
			}
		}
		if o.ICB != "" {
			if icb := ix.resolve(p, f, o.At("icb"), fmt.Sprintf("icb of %q", o.ID), o.ICB); icb != nil && (icb.Class != ClassOrganisation || icb.Kind != "icb") {
				p.add(SevError, o.At("icb"), fmt.Sprintf("icb of %q names %q, which is a %s, not an ICB", o.ID, o.ICB, icb.Kind), "name an organisation of kind icb")
			}
		}
	}
	for _, s := range m.Services {
		if s.Operator == "" {
			continue
		}
		if op := ix.resolve(p, f, s.At("operator"), fmt.Sprintf("operator of %q", s.ID), s.Operator); op != nil && op.Class != ClassOrganisation {
			p.add(SevError, s.At("operator"), fmt.Sprintf("operator of %q names the service %q", s.ID, s.Operator), "an operator is an organisation: the one that runs the service")
		}
	}
	seen := make(map[uint64]*Dependency, len(m.Dependencies))
	for _, d := range m.Dependencies {
		if d.From != "" {
			ix.resolve(p, f, d.At("from"), "dependency from", d.From)
		}
		if d.To != "" {
			ix.resolve(p, f, d.At("to"), "dependency to", d.To)
		}
		if d.From == "" || d.To == "" {
			continue
		}
		if d.From == d.To {
			p.add(SevError, d.At("to"), fmt.Sprintf("%q depends on itself", d.From), "a dependency joins two different ids; remove it or correct from or to")
			continue
		}
		a, okA := ix.num[d.From]
		b, okB := ix.num[d.To]
		if d.Type.BothWays() && b < a {
			a, b = b, a // a network link has no direction
		}
		k := uint64(a)<<35 | uint64(b)<<3 | uint64(max(0, RelationIndex(d.Type)))
		if !okA || !okB || d.Type == "" {
			k = 0 // unknown ids are reported above; no duplicate check
		}
		if first, dup := seen[k]; dup && k != 0 {
			p.add(SevError, d.Pos, fmt.Sprintf("duplicate %s dependency between %q and %q", d.Type, d.From, d.To),
				fmt.Sprintf("first at %s:%d:%d; merge the two", f, first.Pos.Line, first.Pos.Column))
		} else {
			seen[k] = d
		}
		if len(d.Alternatives) > 0 && !d.Type.HasAlternatives() && d.Type != "" {
			p.add(SevWarning, d.At("alternatives"), fmt.Sprintf("alternatives on a %s dependency have no effect", d.Type), "alternatives stand in for a failed provider of a service dependency")
		}
		for i, a := range d.Alternatives {
			switch {
			case a == d.To:
				p.add(SevError, d.AltAt(i), fmt.Sprintf("alternative %q is the provider itself", a), "list other providers that can stand in for it")
			case a == d.From:
				p.add(SevError, d.AltAt(i), fmt.Sprintf("alternative %q is the consumer itself", a), "list other providers that can stand in for the provider")
			case slices.Contains(d.Alternatives[:i], a):
				p.add(SevError, d.AltAt(i), fmt.Sprintf("alternative %q is listed twice", a), "remove the repeat")
			default:
				ix.resolve(p, f, d.AltAt(i), "alternative", a)
			}
		}
	}
	checkScenarios(m, m.Scenarios, m.Policies, ix, p)
}

// checkScenarios checks the ids that scenarios and policies name.
func checkScenarios(m *Model, scenarios []*Scenario, pol *Policies, ix *index, p *parser) {
	names := map[string]*Scenario{}
	for _, s := range scenarios {
		if first, dup := names[s.Name]; dup && s.Name != "" {
			p.errs = append(p.errs, &Error{File: s.File, Pos: s.At("name"), Msg: fmt.Sprintf("duplicate scenario name %q", s.Name),
				Hint: fmt.Sprintf("first at %s:%d:%d; scenarios are run by name", first.File, first.Pos.Line, first.Pos.Column)})
		} else {
			names[s.Name] = s
		}
		for _, r := range s.Compromise {
			ix.resolve(p, s.File, r.Pos, "compromised id", r.Value)
		}
		for _, c := range s.Assume.Controls {
			ix.resolve(p, s.File, c.ID.Pos, "assumed controls for", c.ID.Value)
		}
		for _, r := range s.Assume.Remove {
			a := ix.resolve(p, s.File, r.From.Pos, "remove from", r.From.Value)
			b := ix.resolve(p, s.File, r.To.Pos, "remove to", r.To.Value)
			if a == nil || b == nil {
				continue
			}
			if !slices.ContainsFunc(m.Dependencies, r.Matches) {
				what := "dependency"
				if r.Type != "" {
					what = string(r.Type) + " dependency"
				}
				p.errs = append(p.errs, &Error{File: s.File, Pos: r.Pos, Msg: fmt.Sprintf("remove: no %s from %q to %q", what, r.From.Value, r.To.Value),
					Hint: "a removal must match a dependency of the model; check the direction: from is the consumer"})
			}
		}
		if x := s.Expect; x != nil {
			for _, r := range x.Reaches {
				ix.resolve(p, s.File, r.Pos, "expected reached id", r.Value)
			}
			for _, r := range x.Spares {
				ix.resolve(p, s.File, r.Pos, "expected spared id", r.Value)
				if containsRef(x.Reaches, r.Value) {
					p.errs = append(p.errs, &Error{File: s.File, Pos: r.Pos, Msg: fmt.Sprintf("%q is expected both reached and spared", r.Value), Hint: "keep it in one of the lists"})
				}
			}
		}
	}
	if pol == nil {
		return
	}
	for _, x := range pol.Exceptions {
		if x.ID != "" {
			ix.resolve(p, pol.File, x.At("id"), "exception id", x.ID)
		}
	}
}

// Matches reports whether the removal applies to d.
func (r Removal) Matches(d *Dependency) bool {
	if r.Type != "" && d.Type != r.Type {
		return false
	}
	if d.From == r.From.Value && d.To == r.To.Value {
		return true
	}
	return d.Type.BothWays() && d.From == r.To.Value && d.To == r.From.Value
}

// ParseScenarios reads a file of scenarios and policies ("check --scenarios")
// and checks it against the model m, whose own scenarios and policies it
// replaces in the returned copy.
func ParseScenarios(m *Model, name string, src []byte, lim Limits) (*Model, error) {
	p := newParser(name, lim)
	root := p.document(src, lim)
	if root == nil {
		return nil, p.finish()
	}
	e, _ := p.objectExt(root, "the scenarios file", scenarioTop, true)
	if v := e.get("version"); v != nil {
		if ver, ok := p.integer(v, "version", 0, 1<<30); ok && ver != 1 {
			p.errorf(v, "this blastradius reads version 1", "unsupported version %d", ver)
		}
	}
	out := *m
	out.Scenarios = p.scenarios(e.get("scenarios"))
	out.Policies = nil
	if v := e.get("policies"); v != nil && !isNull(v) {
		out.Policies = p.policies(v)
	}
	if err := p.finish(); err != nil {
		return nil, err
	}
	checkScenarios(&out, out.Scenarios, out.Policies, newIndex(&out, nil), p)
	if err := p.finish(); err != nil {
		return nil, err
	}
	out.Warnings = append(append(ErrorList{}, m.Warnings...), p.errs.Warnings()...)
	return &out, nil
}
