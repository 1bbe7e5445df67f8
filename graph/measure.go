package graph

import (
	"bytes"
	"cmp"
	"encoding/json"
	"strconv"
)

// This file declares the measures of a blast radius: the figures a Summary
// holds. Every analysis and writer that adds, scales, compares or names
// them reads the declaration below, and a test holds the JSON of a Summary
// and the output schemas to it. To add a measure, add a constant, its field
// of Summary (which workspace.summary fills in) and one entry to measures
// (see docs/design.md).

// Measure is one figure of a blast radius.
type Measure uint8

const (
	MeasureOrganisations Measure = iota
	MeasurePeople
	MeasurePatients
	MeasureWithoutFigures
	MeasureCompromised
	MeasureDisrupted
	MeasureDegraded
	MeasureExposed
	MeasureServices
)

// MeasureInfo is the declaration of one measure: everything any part of
// blastradius knows about it.
type MeasureInfo struct {
	Measure Measure
	// Key names it in JSON, where a summary writes it.
	Key string
	// Label is its noun in text ("organisation"), or for a count of one
	// effect the effect's word ("disrupted"); Labels is the plural.
	Label, Labels string
	// Doc says what it counts, as the output schemas describe it.
	Doc string
	// Worse: a larger figure is a worse radius.
	Worse bool
	// Counts says it is the number of affected organisations with one
	// effect (Effect): a part of MeasureOrganisations.
	Counts bool
	Effect Effect
	// Sampled: simulate gives its distribution over the worlds, and risk
	// its expectation a year.
	Sampled bool
	// Whole: text writes an average of it as a whole number, as for
	// people, rather than with decimals, as for organisations.
	Whole bool
	// Float: the figure may be fractional (a measure in days); Unit, if
	// set, is what it is per ("day"). None of today's are either.
	Float bool
	Unit  string
	// field is its field of Summary.
	field field
}

// measures is the declaration, in the order a summary writes them; a
// measure's index here is its number.
var measures = [...]MeasureInfo{
	{Measure: MeasureOrganisations, Key: "organisations", Label: "organisation", Labels: "organisations", Worse: true, Sampled: true,
		Doc:   "organisations affected",
		field: at(func(s *Summary) *int { return &s.Organisations })},
	{Measure: MeasurePeople, Key: "people", Label: "person", Labels: "people", Worse: true, Sampled: true, Whole: true,
		Doc:   "people served by an affected organisation, each person counted at most once: GP lists add up, other figures overlap, an ICB caps its members (docs/model.md, Counting people). A floor.",
		field: at(func(s *Summary) *int64 { return &s.People })},
	{Measure: MeasurePatients, Key: "patients", Label: "patient", Labels: "patients", Worse: true, Whole: true,
		Doc:   "the affected organisations' own figures added up: an activity measure that counts many people several times; never a number of people",
		field: at(func(s *Summary) *int64 { return &s.Patients })},
	{Measure: MeasureWithoutFigures, Key: "organisations_without_figures", Label: "organisation without figures", Labels: "organisations without figures",
		Doc:   "affected organisations that serve people (not suppliers or ICBs) whose figure the model does not give; people and patients leave them out",
		field: at(func(s *Summary) *int { return &s.WithoutFigures })},
	{Measure: MeasureCompromised, Key: "compromised", Label: "compromised", Labels: "compromised", Worse: true, Counts: true, Effect: Compromised,
		Doc:   "organisations the attacker controls",
		field: at(func(s *Summary) *int { return &s.Compromised })},
	{Measure: MeasureDisrupted, Key: "disrupted", Label: "disrupted", Labels: "disrupted", Worse: true, Counts: true, Effect: Disrupted,
		Doc:   "organisations that cannot deliver their services",
		field: at(func(s *Summary) *int { return &s.Disrupted })},
	{Measure: MeasureDegraded, Key: "degraded", Label: "degraded", Labels: "degraded", Worse: true, Counts: true, Effect: Degraded,
		Doc:   "organisations that work with reduced capability",
		field: at(func(s *Summary) *int { return &s.Degraded })},
	{Measure: MeasureExposed, Key: "exposed", Label: "exposed", Labels: "exposed", Worse: true, Counts: true, Effect: Exposed,
		Doc:   "organisations whose data a compromised node held",
		field: at(func(s *Summary) *int { return &s.Exposed })},
	{Measure: MeasureServices, Key: "services", Label: "service", Labels: "services", Worse: true,
		Doc:   "services affected, which the counts above leave out",
		field: at(func(s *Summary) *int { return &s.Services })},
}

// Measures returns the declaration of every measure, in order: the i-th
// has number i.
func Measures() []MeasureInfo { return measures[:] }

// Info returns the measure's declaration.
func (m Measure) Info() *MeasureInfo { return &measures[m] }

// Sampled lists the measures that simulate and risk report, in order.
func Sampled() []Measure {
	var out []Measure
	for _, m := range measures {
		if m.Sampled {
			out = append(out, m.Measure)
		}
	}
	return out
}

// Of returns the figure of a measure.
func (s Summary) Of(m Measure) float64 { return measures[m].field.get(&s) }

// at is Of without a copy: Of's copy escapes to the heap through the
// field's method, which in a loop over worlds is an allocation a world.
func (s *Summary) at(m Measure) float64 { return measures[m].field.get(s) }

// Add returns the figures of s and t added up.
func (s Summary) Add(t Summary) Summary {
	for _, m := range measures {
		m.field.add(&s, &t, 1)
	}
	return s
}

// Sub returns the figures of s less those of t: what a change spared.
func (s Summary) Sub(t Summary) Summary {
	for _, m := range measures {
		m.field.add(&s, &t, -1)
	}
	return s
}

// Scale returns every figure of s times k: a radius that stands for k.
func (s Summary) Scale(k int) Summary {
	for _, m := range measures {
		m.field.scale(&s, k)
	}
	return s
}

// CompareRadii compares two radii by the measures given, in turn: it is
// below 0 if a is the worse (a larger figure of a measure whose larger is
// worse), above 0 if b is, and 0 if they are alike in every one. Sorting
// by it puts the worst first.
func CompareRadii(a, b Summary, by ...Measure) int {
	for _, m := range by {
		c := cmp.Compare(b.Of(m), a.Of(m))
		if !measures[m].Worse {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// Alike reports whether two radii have the same figure of every measure
// given.
func Alike(a, b Summary, by ...Measure) bool {
	for _, m := range by {
		if a.Of(m) != b.Of(m) {
			return false
		}
	}
	return true
}

// field is how a measure reads and changes its field of Summary.
type field interface {
	get(s *Summary) float64
	set(s *Summary, x float64)
	add(s, t *Summary, sign int) // s += sign * t
	scale(s *Summary, k int)
}

// number is the type of a figure's field.
type number interface{ ~int | ~int64 | ~float64 }

// fieldOf is a field of type T; the arithmetic stays in T, so that whole
// figures stay exact.
type fieldOf[T number] func(*Summary) *T

func at[T number](f func(*Summary) *T) field { return fieldOf[T](f) }

func (f fieldOf[T]) get(s *Summary) float64    { return float64(*f(s)) }
func (f fieldOf[T]) set(s *Summary, x float64) { *f(s) = T(x) }
func (f fieldOf[T]) add(s, t *Summary, sign int) {
	*f(s) += T(sign) * *f(t)
}
func (f fieldOf[T]) scale(s *Summary, k int) { *f(s) *= T(k) }

// marshal writes v as JSON as the writers do, without escaping HTML.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// member is one key and value that a result writes for each measure.
type member struct {
	key string
	val any
}

// extend writes the JSON object head, less its closing brace, then the
// members, then the rest.
func extend(head []byte, members []member, rest ...member) ([]byte, error) {
	out := bytes.TrimSuffix(head, []byte("}"))
	for _, m := range append(members, rest...) {
		v, err := marshal(m.val)
		if err != nil {
			return nil, err
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(out, strconv.Quote(m.key)...)
		out = append(out, ':')
		out = append(out, v...)
	}
	return append(out, '}'), nil
}
