package model

import "slices"

// Apply returns a copy of m with a scenario's assumptions made: controls
// added to nodes and dependencies removed. m itself is not changed.
func (m *Model) Apply(a Assumptions) *Model {
	if len(a.Controls) == 0 && len(a.Remove) == 0 {
		return m
	}
	out := *m
	add := map[string][]string{}
	for _, c := range a.Controls {
		for _, r := range c.Controls {
			add[c.ID.Value] = append(add[c.ID.Value], r.Value)
		}
	}
	with := func(nodes []*Node) []*Node {
		res := make([]*Node, len(nodes))
		for i, n := range nodes {
			extra, ok := add[n.ID]
			if !ok {
				res[i] = n
				continue
			}
			c := *n
			c.Controls = slices.Clone(n.Controls)
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
		removed := false
		for _, r := range a.Remove {
			if r.Matches(d) {
				removed = true
				break
			}
		}
		if !removed {
			out.Dependencies = append(out.Dependencies, d)
		}
	}
	return &out
}

// Empty reports whether the assumptions change nothing.
func (a Assumptions) Empty() bool { return len(a.Controls) == 0 && len(a.Remove) == 0 }
