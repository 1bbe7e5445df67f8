package graph

import (
	"fmt"
	"slices"
	"strings"

	"github.com/blastradius/blastradius/internal/english"
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

// MaxCauses is the most causes a finding carries; Finding.MoreCauses
// counts the lines left out, so that a finding on a long chain costs what
// a short one does.
const MaxCauses = 32

// explain returns the causes of a node's effect: one for each step of the
// path that explains it, in path order. A step provider → consumer is the
// consumer's dependency on the provider, or the service's operator.
func (g *Graph) explain(a *Affected) []Cause {
	var out []Cause
	for i := range a.Via {
		out = append(out, g.explainStep(a, i, true)...)
	}
	return out
}

// explainStep returns the causes of step i of a's path: its dependency or
// operator, and the controls of the node it reaches. Without text, only
// the positions are filled in.
func (g *Graph) explainStep(a *Affected, i int, text bool) []Cause {
	rel := a.Via[i]
	from, to := a.Path[i], a.Path[i+1] // effects travel from → to
	step := i + 1 + a.PathOmitted
	if rel == Operator {
		n, ok := g.Lookup(to)
		if !ok {
			return nil
		}
		c := Cause{Pos: g.at(n.At("operator")), service: to, operator: from}
		if text {
			c.Message = fmt.Sprintf("%q runs the service %q, which a compromise of its operator takes down", from, to)
		}
		return []Cause{c}
	}
	d := g.dependency(to, from, rel)
	if d == nil && rel.BothWays() {
		d = g.dependency(from, to, rel)
	}
	if d == nil {
		return nil
	}
	c := Cause{Pos: g.at(d.Pos), dep: d}
	if text {
		c.Message = fmt.Sprintf("%q depends on %q (%s): step %d of the path %s", d.From, d.To, d.Type, step, pathText(a))
	}
	out := []Cause{c}
	if n, ok := g.Lookup(to); ok && hasField(n.Fields, "controls") {
		c := Cause{Pos: g.at(n.At("controls")), node: to, controls: n.Controls}
		if text {
			c.Message = fmt.Sprintf("%q has no control that stops step %d", to, step)
			if len(n.Controls) > 0 {
				c.Message = fmt.Sprintf("%q has controls (%s), none of which stops step %d", to, strings.Join(n.Controls, ", "), step)
			}
		}
		out = append(out, c)
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

type stepKey struct {
	from, to string
	rel      model.Relation
}

// explainAll returns the causes of every affected organisation's effect,
// each line once, in the order the impact lists them: at most MaxCauses of
// them, and the number of lines left out. Paths share their beginnings, so
// each node adds only the steps of its path that no node before it
// explained: walking back from its end stops at the first step already
// seen, and a chain of n nodes costs n steps, not n².
func (g *Graph) explainAll(im *Impact) (out, rest []Cause) {
	steps := map[stepKey]bool{}
	seen := map[model.Pos]bool{}
	for _, a := range im.Affected {
		if a.Class != model.ClassOrganisation {
			continue
		}
		first := len(a.Via)
		for ; first > 0; first-- {
			k := stepKey{a.Path[first-1], a.Path[first], a.Via[first-1]}
			if steps[k] {
				break
			}
			steps[k] = true
		}
		for i := first; i < len(a.Via); i++ {
			for _, c := range g.explainStep(a, i, len(out) < MaxCauses) {
				if seen[c.Pos] {
					continue
				}
				seen[c.Pos] = true
				if len(out) < MaxCauses {
					out = append(out, c)
				} else {
					rest = append(rest, c) // its position only, for Anchor
				}
			}
		}
	}
	return out, rest
}

// capCauses keeps the first MaxCauses causes and returns the rest.
func capCauses(cs []Cause) ([]Cause, []Cause) {
	if len(cs) <= MaxCauses {
		return cs, nil
	}
	return cs[:MaxCauses], cs[MaxCauses:]
}

// setCauses gives f its causes and those left out of them.
func (f *Finding) setCauses(causes, rest []Cause) {
	f.Causes, f.rest, f.MoreCauses = causes, rest, len(rest)
}

// plain says a cause left out of a finding's causes, for when Anchor
// moves the finding onto it: its line, without the step it was.
func (c Cause) plain() string {
	switch {
	case c.dep != nil:
		return fmt.Sprintf("%q depends on %q (%s), on a path that explains the finding", c.dep.From, c.dep.To, c.dep.Type)
	case c.service != "":
		return fmt.Sprintf("%q runs the service %q, which a compromise of its operator takes down", c.operator, c.service)
	case len(c.controls) > 0:
		return fmt.Sprintf("%q has controls (%s), none of which stops a step of a path that explains the finding", c.node, strings.Join(c.controls, ", "))
	}
	return fmt.Sprintf("%q has no control that stops a step of a path that explains the finding", c.node)
}

// pathText writes a's path with arrows, the steps it leaves out counted
// first.
func pathText(a *Affected) string {
	var b strings.Builder
	if a.PathOmitted > 0 {
		b.WriteString("…" + english.Plural(a.PathOmitted, "more step") + " → ")
	}
	for i, id := range a.Path {
		if i > 0 {
			b.WriteString(" → ")
		}
		b.WriteString(id)
	}
	return b.String()
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
	mark := func(c *Cause) {
		switch {
		case c.dep != nil:
			c.changed = changed(c.dep)
		case c.service != "":
			c.changed = !hasService(c.service) || operators[c.service] != c.operator
		case c.node != "":
			c.changed = lost(c.node, c.controls)
		}
	}
	move := func(f *Finding) {
		for i := range f.Causes {
			mark(&f.Causes[i])
		}
		was := Cause{Pos: f.Pos, Message: "the " + f.Breaks() + " this change breaks"}
		for _, c := range f.Causes {
			if !c.changed {
				continue
			}
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
		// A changed line among those left out of the causes: the finding
		// moves onto it, and it joins the causes.
		for i := range f.rest {
			c := &f.rest[i]
			if mark(c); !c.changed {
				continue
			}
			c.Message = c.plain()
			f.Pos = c.Pos
			f.Causes = append(append([]Cause{was}, f.Causes...), *c)
			f.rest = append(f.rest[:i:i], f.rest[i+1:]...)
			f.MoreCauses = len(f.rest)
			f.moved = true
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
