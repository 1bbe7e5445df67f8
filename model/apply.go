package model

import "slices"

// Apply returns a copy of m with the changes made, whatever their order:
// dependencies removed, then controls removed, controls added,
// dependencies added, alternatives added to service dependencies, aid
// links added (to the service dependency of the pair, or as a dependency
// of their own) and stocks changed, as ChangeKinds lists them. m itself is not changed, nor any node or
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
	// Each change finds the dependencies it concerns through an index by
	// pair, so that many changes to a large model cost changes plus
	// dependencies, not their product.
	removals := map[[2]string][]Change{}
	for _, c := range changes {
		if c.Kind == RemoveDependency {
			k := [2]string{c.From, c.To}
			removals[k] = append(removals[k], c)
		}
	}
	removed := func(d *Dependency) bool {
		for _, k := range [][2]string{{d.From, d.To}, {d.To, d.From}} {
			if slices.ContainsFunc(removals[k], func(c Change) bool { return c.removes(d) }) {
				return true
			}
		}
		return false
	}
	out.Dependencies = make([]*Dependency, 0, len(m.Dependencies))
	pairs := map[[2]string][]int{} // by from and to: indices into out.Dependencies
	keep := func(d *Dependency) {
		k := [2]string{d.From, d.To}
		pairs[k] = append(pairs[k], len(out.Dependencies))
		out.Dependencies = append(out.Dependencies, d)
	}
	for _, d := range m.Dependencies {
		if len(removals) == 0 || !removed(d) {
			keep(d)
		}
	}
	has := func(e *Dependency) bool {
		for _, k := range [][2]string{{e.From, e.To}, {e.To, e.From}} {
			for _, i := range pairs[k] {
				if e.sameAs(out.Dependencies[i]) {
					return true
				}
			}
		}
		return false
	}
	for _, c := range changes {
		if c.Kind == AddDependency && c.Dependency != nil && !has(c.Dependency) {
			keep(c.Dependency)
		}
	}
	for _, c := range changes {
		if c.Kind != AddAlternative || c.Alternative == "" {
			continue
		}
		for _, i := range pairs[[2]string{c.From, c.To}] {
			d := out.Dependencies[i]
			if !d.Type.HasAlternatives() {
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
	for _, c := range changes {
		if c.Kind != AddAid || c.Aid == nil {
			continue
		}
		found := false
		for _, i := range pairs[[2]string{c.From, c.To}] {
			if d := out.Dependencies[i]; d.Type == Service && d.Surge == nil {
				e := *d
				e.Aid = c.Aid
				out.Dependencies[i], found = &e, true
				break
			}
		}
		if !found {
			keep(&Dependency{From: c.From, To: c.To, Type: Service, Critical: true, Likelihood: 1, Aid: c.Aid, Pos: c.Pos})
		}
	}
	stocks := map[string]*Stock{}
	for _, c := range changes {
		if c.Kind == SetStock && c.Stock != nil {
			stocks[c.ID] = c.Stock
		}
	}
	if len(stocks) > 0 {
		svc := make([]*Node, len(out.Services))
		for i, n := range out.Services {
			svc[i] = n
			st := stocks[n.ID]
			if st == nil || n.Stock == nil {
				continue
			}
			c := *n
			ns := *n.Stock
			if st.Days >= 0 {
				ns.Days = st.Days
			}
			if st.Alert >= 0 {
				ns.Alert = st.Alert
			}
			c.Stock = &ns
			svc[i] = &c
		}
		out.Services = svc
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
	return len(a.Controls) == 0 && len(a.Remove) == 0 && len(a.Add) == 0 && len(a.Alternatives) == 0 && len(a.RemoveControls) == 0 &&
		len(a.Aid) == 0 && len(a.Stocks) == 0
}
