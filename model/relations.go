package model

import "strings"

// This file declares what every relation means. Validation, the analyses of
// package graph, the drawings of package render and the relation table of
// docs/model.md all read the declaration below; nothing else names a
// relation. To add one, add a constant and one entry to relations, then the
// prose and tests (see docs/design.md); how a line of it is drawn is
// package render's (lineStyles).

// Relation is how a dependency carries effects from provider to consumer.
type Relation string

const (
	Service Relation = "service" // the consumer needs what the provider delivers
	Data    Relation = "data"    // the provider holds the consumer's data
	Access  Relation = "access"  // the provider has remote or privileged access into the consumer
	Network Relation = "network" // a shared network link, both ways
	Hosting Relation = "hosting" // the consumer runs on the provider's platform or tenant
	// Operator is the relation between an organisation and a service it
	// runs. It is not written as a dependency but follows from a service's
	// operator.
	Operator Relation = "operator"
)

// Carry is a set of effects a relation carries from provider to consumer.
type Carry uint8

const (
	// Compromise: the provider compromised puts the consumer in the
	// attacker's hands.
	Compromise Carry = 1 << iota
	// Outage: the provider down takes the consumer down.
	Outage
	// Degradation: the provider down leaves the consumer working with
	// reduced capability.
	Degradation
	// Exposure: the provider compromised exposes the consumer's data.
	Exposure
)

// Has reports whether c includes every effect of x.
func (c Carry) Has(x Carry) bool { return c&x == x }

// RelationInfo is the declaration of one relation: everything any part of
// blastradius knows about it.
type RelationInfo struct {
	Relation Relation
	// Written is false for a relation that no dependency states (operator).
	Written bool
	// Carries lists the effects that cross a dependency of this relation
	// from provider to consumer.
	Carries Carry
	// BothWays: the dependency is a link without direction, and each effect
	// it carries crosses from either end to the other.
	BothWays bool
	// Stops names, for an effect, the control that stops it crossing into
	// the receiving end (the consumer; for a link, the far end).
	Stops map[Carry]string
	// Critical: "critical" and "alternatives" apply. The outage crosses
	// only a critical dependency whose provider and every alternative are
	// down; otherwise the consumer is degraded.
	Critical bool
	// Reading says in words what a dependency claims, with %[1]q the
	// consumer (from) and %[2]q the provider (to).
	Reading string
	// Meaning says in a phrase what the relation is, as the model's
	// schema describes it.
	Meaning string
	// Doc is the relation's row of the table in docs/model.md: how it is
	// named there, then how it carries compromise, outage and exposure.
	Doc [4]string
}

// relations is the declaration, in the order of the docs' table; a
// relation's index here is its number (RelationIndex).
var relations = []RelationInfo{
	{
		Relation: Operator, Reading: "%[2]q runs %[1]q",
		Meaning: "an organisation runs the service",
		Carries: Compromise | Outage,
		Doc:     [4]string{"operator → its service", "operator compromised ⇒ service compromised", "operator down ⇒ service down", ""},
	},
	{
		Relation: Service, Reading: "%[1]q needs what %[2]q delivers",
		Meaning: "the consumer needs what the provider delivers",
		Written: true, Carries: Outage | Degradation, Critical: true,
		Doc: [4]string{"`service`", "no", "provider down ⇒ consumer disrupted if `critical`, else degraded", ""},
	},
	{
		Relation: Data, Reading: "%[2]q holds the data of %[1]q",
		Meaning: "the provider holds the consumer's data",
		Written: true, Carries: Exposure,
		Doc: [4]string{"`data`", "no", "no", "provider compromised ⇒ consumer exposed"},
	},
	{
		Relation: Access, Reading: "%[2]q has access into %[1]q",
		Meaning: "the provider has remote or privileged access into the consumer",
		Written: true, Carries: Compromise, Stops: map[Carry]string{Compromise: MFA},
		Doc: [4]string{"`access` (provider has remote or privileged access into the consumer)", "provider ⇒ consumer, unless the consumer has `mfa`", "", ""},
	},
	{
		Relation: Network, Reading: "%[1]q and %[2]q share a network link",
		Meaning: "a shared network link, both ways",
		Written: true, Carries: Compromise, BothWays: true, Stops: map[Carry]string{Compromise: Segmentation},
		Doc: [4]string{"`network` (shared network link)", "both ways, except into a node with `segmentation`", "", ""},
	},
	{
		Relation: Hosting, Reading: "%[1]q runs on the platform of %[2]q",
		Meaning: "the consumer runs on the provider's platform or tenant",
		Written: true, Carries: Compromise | Outage | Exposure,
		Doc: [4]string{"`hosting` (consumer runs on the provider's platform or tenant)", "provider ⇒ consumer", "provider down ⇒ consumer down", "provider compromised ⇒ consumer exposed"},
	},
}

// Relations lists every relation a dependency may have, in declaration order.
var Relations = written()

func written() []Relation {
	var out []Relation
	for _, r := range relations {
		if r.Written {
			out = append(out, r.Relation)
		}
	}
	return out
}

// AllRelations returns the declaration of every relation, operator
// included, in order: the i-th has number i.
func AllRelations() []RelationInfo { return relations }

// Declare adds a relation to the end of the declaration and returns a
// function that takes it away again. It is for tests that walk a
// throw-away relation through every analysis to show that none names a
// relation; nothing may read the declaration while it runs, and package
// graph keeps its own tables of it, which its tests then rebuild.
func Declare(r RelationInfo) (undo func()) {
	n := len(relations)
	relations = append(relations[:n:n], r)
	Relations = written()
	return func() {
		relations = relations[:n:n]
		Relations = written()
	}
}

// OpensWayIn reports whether a dependency of the relation is a way into
// the consumer that the consumer closes: it carries compromise one way
// only, and a control at the receiving end stops it (as MFA stops remote
// access). The provider of such a dependency is worth an attacker's
// effort, so its default entry is raised (AccessFactor).
func (r *RelationInfo) OpensWayIn() bool {
	return r.Carries.Has(Compromise) && !r.BothWays && r.Stops[Compromise] != ""
}

// RelationIndex returns the relation's number, or -1 if it is not declared.
func RelationIndex(r Relation) int {
	for i := range relations {
		if relations[i].Relation == r {
			return i
		}
	}
	return -1
}

// Info returns the relation's declaration, or nil if it is not declared.
func (r Relation) Info() *RelationInfo {
	if i := RelationIndex(r); i >= 0 {
		return &relations[i]
	}
	return nil
}

// BothWays reports whether the relation is a link without direction.
func (r Relation) BothWays() bool { i := r.Info(); return i != nil && i.BothWays }

// HasAlternatives reports whether "critical" and "alternatives" apply to it.
func (r Relation) HasAlternatives() bool { i := r.Info(); return i != nil && i.Critical }

// Stopping lists the controls that stop some effect of some relation, in
// the order of Controls.
func Stopping() []string {
	var out []string
	for _, c := range Controls {
		for _, r := range relations {
			if stopsAny(r, c) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

func stopsAny(r RelationInfo, control string) bool {
	for _, c := range r.Stops {
		if c == control {
			return true
		}
	}
	return false
}

// relationMeanings says what each relation a dependency may have means,
// and which of them "critical" and "alternatives" apply to, for the schema.
func relationMeanings() (meanings, critical string) {
	var m, c []string
	for _, r := range relations {
		if !r.Written {
			continue
		}
		m = append(m, string(r.Relation)+" ("+r.Meaning+")")
		if r.Critical {
			c = append(c, string(r.Relation))
		}
	}
	return strings.Join(m, ", "), strings.Join(c, " and ")
}

// relationWords lists the relations a dependency may have, as words.
func relationWords() []string {
	out := make([]string, len(Relations))
	for i, r := range Relations {
		out[i] = string(r)
	}
	return out
}
