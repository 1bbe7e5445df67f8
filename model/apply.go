package model

import "slices"

// Apply returns a copy of m with a scenario's assumptions made, removals
// first: dependencies and controls removed, then controls added,
// dependencies added, and alternatives added to service dependencies.
// m itself is not changed, nor any node or dependency it holds.
func (m *Model) Apply(a Assumptions) *Model {
	if a.Empty() {
		return m
	}
	out := *m
	drop := controlsByID(a.RemoveControls)
	add := controlsByID(a.Controls)
	with := func(nodes []*Node) []*Node {
		res := make([]*Node, len(nodes))
		for i, n := range nodes {
			gone, extra := drop[n.ID], add[n.ID]
			if len(gone) == 0 && len(extra) == 0 {
				res[i] = n
				continue
			}
			c := *n
			c.Controls = nil
			for _, x := range n.Controls {
				if !slices.Contains(gone, x) {
					c.Controls = append(c.Controls, x)
				}
			}
			for _, x := range extra {
				if !slices.Contains(c.Controls, x) {
					c.Controls = append(c.Controls, x)
				}
			}
			res[i] = &c
		}
		return res
	}
	out.Organisations = with(m.Organisations)
	out.Services = with(m.Services)
	out.Dependencies = make([]*Dependency, 0, len(m.Dependencies)+len(a.Add))
	for _, d := range m.Dependencies {
		if !slices.ContainsFunc(a.Remove, func(r Removal) bool { return r.Matches(d) }) {
			out.Dependencies = append(out.Dependencies, d)
		}
	}
	for _, d := range a.Add {
		if !slices.ContainsFunc(out.Dependencies, d.sameAs) {
			out.Dependencies = append(out.Dependencies, d)
		}
	}
	for _, alt := range a.Alternatives {
		for i, d := range out.Dependencies {
			if !d.Type.HasAlternatives() || d.From != alt.From.Value || d.To != alt.To.Value {
				continue
			}
			c := *d
			c.Alternatives = slices.Clone(d.Alternatives)
			c.AlternativePos = slices.Clone(d.AlternativePos)
			for _, r := range alt.Add {
				if r.Value != c.To && r.Value != c.From && !slices.Contains(c.Alternatives, r.Value) {
					c.Alternatives = append(c.Alternatives, r.Value)
					c.AlternativePos = append(c.AlternativePos, r.Pos)
				}
			}
			out.Dependencies[i] = &c
		}
	}
	return &out
}

func controlsByID(list []AddControls) map[string][]string {
	out := map[string][]string{}
	for _, c := range list {
		for _, r := range c.Controls {
			out[c.ID.Value] = append(out[c.ID.Value], r.Value)
		}
	}
	return out
}

// sameAs reports whether d and e are one dependency: the same pair, either
// way round for a network link, and the same type.
func (d *Dependency) sameAs(e *Dependency) bool {
	if d.Type != e.Type {
		return false
	}
	return d.From == e.From && d.To == e.To || d.Type.BothWays() && d.From == e.To && d.To == e.From
}

// Empty reports whether the assumptions change nothing.
func (a Assumptions) Empty() bool {
	return len(a.Controls) == 0 && len(a.Remove) == 0 && len(a.Add) == 0 && len(a.Alternatives) == 0 && len(a.RemoveControls) == 0
}
