package model

import "slices"

// Apply returns a copy of m with the changes made, whatever their order:
// dependencies removed, then controls removed, controls added,
// dependencies added, and alternatives added to service dependencies, as
// ChangeKinds lists them. m itself is not changed, nor any node or
// dependency it holds. An alternative outside the model (AddAlternative
// with no Alternative) names no node a model can hold: Apply leaves it to
// the analyses that take one (graph.Run).
func (m *Model) Apply(changes []Change) *Model {
	if len(changes) == 0 {
		return m
	}
	out := *m
	drop, add := map[string][]string{}, map[string][]string{}
	for _, c := range changes {
		switch c.Kind {
		case RemoveControl:
			drop[c.ID] = append(drop[c.ID], c.Control)
		case AddControl:
			add[c.ID] = append(add[c.ID], c.Control)
		}
	}
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
	out.Dependencies = make([]*Dependency, 0, len(m.Dependencies))
	for _, d := range m.Dependencies {
		if !slices.ContainsFunc(changes, func(c Change) bool { return c.Kind == RemoveDependency && c.removes(d) }) {
			out.Dependencies = append(out.Dependencies, d)
		}
	}
	for _, c := range changes {
		if c.Kind == AddDependency && c.Dependency != nil && !slices.ContainsFunc(out.Dependencies, c.Dependency.sameAs) {
			out.Dependencies = append(out.Dependencies, c.Dependency)
		}
	}
	for _, c := range changes {
		if c.Kind != AddAlternative || c.Alternative == "" {
			continue
		}
		for i, d := range out.Dependencies {
			if !d.Type.HasAlternatives() || d.From != c.From || d.To != c.To {
				continue
			}
			if c.Alternative == d.To || c.Alternative == d.From || slices.Contains(d.Alternatives, c.Alternative) {
				continue
			}
			e := *d
			e.Alternatives = append(slices.Clone(d.Alternatives), c.Alternative)
			e.AlternativePos = append(slices.Clone(d.AlternativePos), c.Pos)
			out.Dependencies[i] = &e
		}
	}
	return &out
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
