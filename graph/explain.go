package graph

import (
	"fmt"
	"slices"
	"strings"

	"github.com/blastradius/blastradius/model"
)

// Cause is a line of a model that produces a finding: a dependency or an
// operator on the path that explains it, the controls of a node on that
// path (none of which stops the step), a policy, or the expectation or
// policy it breaks when the finding itself has moved onto a changed line.
type Cause struct {
	model.Pos        // where the line is: the JSON fields file, line and column
	Message   string `json:"message"`

	dep      *model.Dependency // the dependency of this step, if it is one
	service  string            // the service whose operator this step is, if it is one
	operator string            // and its operator
	node     string            // the node whose controls line this is, if it is one
	controls []string          // and its controls
	changed  bool              // Anchor found the line introduced or altered
}

// String formats the cause as file:line:column: message.
func (c Cause) String() string { return c.Pos.String() + ": " + c.Message }

// explain returns the causes of a node's effect: one for each step of the
// path that explains it, in path order. A step provider → consumer is the
// consumer's dependency on the provider, or the service's operator.
func (g *Graph) explain(a *Affected) []Cause {
	var out []Cause
	for i, rel := range a.Via {
		from, to := a.Path[i], a.Path[i+1] // effects travel from → to
		if rel == Operator {
			n, ok := g.Lookup(to)
			if !ok {
				continue
			}
			pos := n.At("operator")
			out = append(out, Cause{Pos: g.at(pos), service: to, operator: from,
				Message: fmt.Sprintf("%q runs the service %q, which a compromise of its operator takes down", from, to)})
			continue
		}
		d := g.dependency(to, from, rel)
		if d == nil && rel.BothWays() {
			d = g.dependency(from, to, rel)
		}
		if d == nil {
			continue
		}
		out = append(out, Cause{Pos: g.at(d.Pos), dep: d,
			Message: fmt.Sprintf("%q depends on %q (%s): step %d of the path %s", d.From, d.To, d.Type, i+1, pathText(a.Path))})
		if n, ok := g.Lookup(to); ok && hasField(n.Fields, "controls") {
			pos := n.At("controls")
			msg := fmt.Sprintf("%q has no control that stops step %d", to, i+1)
			if len(n.Controls) > 0 {
				msg = fmt.Sprintf("%q has controls (%s), none of which stops step %d", to, strings.Join(n.Controls, ", "), i+1)
			}
			out = append(out, Cause{Pos: g.at(pos), node: to, controls: n.Controls, Message: msg})
		}
	}
	return out
}

func hasField(fields model.Fields, key string) bool {
	for _, f := range fields {
		if f.Key == key {
			return true
		}
	}
	return false
}

// explainAll returns the causes of every affected organisation's effect,
// each line once, in the order the impact lists them.
func (g *Graph) explainAll(im *Impact) []Cause {
	var out []Cause
	seen := map[model.Pos]bool{}
	for _, a := range im.Affected {
		if a.Class != model.ClassOrganisation {
			continue
		}
		for _, c := range g.explain(a) {
			if seen[c.Pos] {
				continue
			}
			seen[c.Pos] = true
			out = append(out, c)
		}
	}
	return out
}

func pathText(path []string) string {
	s := ""
	for i, id := range path {
		if i > 0 {
			s += " → "
		}
		s += id
	}
	return s
}

// Anchor moves every finding onto the line, among its causes, that the
// change from base to the checked model introduced or altered, so that a
// code review tool shows it on the changed line. The line the finding had
// (its expectation or policy) becomes its first cause. A finding none of
// whose causes changed stays where it is.
func (r *Report) Anchor(base *model.Model) {
	changed := changedDependencies(base)
	operators := map[string]string{}
	for _, s := range base.Services {
		operators[s.ID] = s.Operator
	}
	controls := map[string][]string{}
	for _, n := range base.Nodes() {
		controls[n.ID] = n.Controls
	}
	// lost reports whether the change removed one of a node's controls.
	lost := func(id string, now []string) bool {
		was, ok := controls[id]
		if !ok {
			return true
		}
		for _, c := range was {
			if !slices.Contains(now, c) {
				return true
			}
		}
		return false
	}
	hasService := func(id string) bool { _, ok := operators[id]; return ok }
	move := func(f *Finding) {
		for i := range f.Causes {
			c := &f.Causes[i]
			switch {
			case c.dep != nil:
				c.changed = changed(c.dep)
			case c.service != "":
				c.changed = !hasService(c.service) || operators[c.service] != c.operator
			case c.node != "":
				c.changed = lost(c.node, c.controls)
			}
		}
		for _, c := range f.Causes {
			if !c.changed {
				continue
			}
			was := Cause{Pos: f.Pos, Message: "the " + f.Breaks() + " this change breaks"}
			f.Pos = c.Pos
			f.moved = true
			if f.Breaks() == "policy" && plainCause(f.Causes[0]) && f.Causes[0].Pos != was.Pos {
				// A policy's finding is on the node it concerns, the
				// policy its first cause: the policy stays first.
				was.Message = "the line the finding is on without the change"
				if f.ID != "" {
					was.Message = fmt.Sprintf("%q, the node the finding concerns", f.ID)
				}
				f.Causes = slices.Insert(f.Causes, 1, was)
				return
			}
			f.Causes = append([]Cause{was}, f.Causes...)
			return
		}
	}
	for ci := range r.Checks {
		for fi := range r.Checks[ci].Findings {
			move(&r.Checks[ci].Findings[fi])
		}
	}
	r.collect()
}

// Breaks names what the finding's rule states: "expectation" for a
// scenario's expectations, "policy" for the rest.
func (f Finding) Breaks() string {
	if strings.HasPrefix(f.Rule, "expect_") {
		return "expectation"
	}
	return "policy"
}

// changedDependencies returns a test for whether a dependency is absent
// from base, or there with another criticality or other alternatives.
func changedDependencies(base *model.Model) func(*model.Dependency) bool {
	in := map[depIdentity]*model.Dependency{}
	for _, d := range base.Dependencies {
		in[identity(d)] = d
	}
	return func(d *model.Dependency) bool {
		o, ok := in[identity(d)]
		return !ok || !sameDependency(o, d)
	}
}

func sameDependency(a, b *model.Dependency) bool {
	if a.Critical != b.Critical || len(a.Alternatives) != len(b.Alternatives) {
		return false
	}
	for i := range a.Alternatives {
		if a.Alternatives[i] != b.Alternatives[i] {
			return false
		}
	}
	return true
}

// Moved reports whether Anchor moved the finding onto a changed line; its
// first cause is then the line of the expectation or policy it breaks.
func (f Finding) Moved() bool { return f.moved }

type depKey struct {
	from, to string
	rel      model.Relation
}

// dependency returns the model's first dependency from consumer to provider
// of a relation, or nil. The index is built on first use.
func (g *Graph) dependency(from, to string, rel model.Relation) *model.Dependency {
	g.depsOnce.Do(func() {
		g.deps = make(map[depKey]*model.Dependency, len(g.model.Dependencies))
		for _, d := range g.model.Dependencies {
			k := depKey{d.From, d.To, d.Type}
			if _, dup := g.deps[k]; !dup {
				g.deps[k] = d
			}
		}
	})
	return g.deps[depKey{from, to, rel}]
}
