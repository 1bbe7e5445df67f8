package model

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The keys of time and capacity: how long a compromised node takes to come
// back (recovery, restore), how much an organisation does in a day
// (activity), how long it can run short (tolerance), and how much of a
// consumer's work needs a provider (share, buffer).

// misplaced holds, by the kind of entry, keys that belong elsewhere, with
// the hint the loader gives when it meets one there.
var misplaced = map[string]map[string]string{
	"service": {
		"activity":  "activity belongs to the organisations that use the service: a service's shortfall is counted in their activity",
		"tolerance": "tolerance belongs to the organisations that use the service: how long each can run short of it",
	},
}

var (
	recoveryKeys = []string{"min", "likely", "max"}
	restoreKeys  = []string{"day", "capacity"}
	unitPattern  = `^[a-z][a-z0-9-]*$`
)

// maxDays bounds every count of days in a file: recoveries, restore days,
// tolerances, buffers and expected outages. Ten years is past any horizon.
const maxDays = 3650

// maxPerDay bounds an activity's baseline per day.
const maxPerDay = 1e12

// days reads a number of days from 0 to maxDays.
func (p *parser) days(n *yaml.Node, what, hint string) (float64, bool) {
	f, ok := p.number(n, what)
	if !ok {
		return 0, false
	}
	if f < 0 {
		p.errorf(n, hint, "%s %v is negative", what, f)
		return 0, false
	}
	if f > maxDays {
		p.errorf(n, fmt.Sprintf("use at most %d days", maxDays), "%s %v is out of range", what, f)
		return 0, false
	}
	return f, true
}

// timeOfNode reads recovery and restore, which organisations and services
// share.
func (p *parser) timeOfNode(e entry, out *Node) {
	rv, sv := e.get("recovery"), e.get("restore")
	if rv != nil && sv != nil {
		p.errorf(sv, "give one: recovery is a number of days, or {min, likely, max}; restore is capacity by day", "%q has both recovery and restore", out.ID)
		return
	}
	if rv != nil {
		out.Recovery = p.recovery(rv)
	}
	if sv != nil {
		out.Restore = p.restore(sv)
	}
}

const recoveryHint = "recovery is the days a compromised node takes to return to full capacity, 0 or more"

// recovery reads days, or {min, likely, max}.
func (p *parser) recovery(n *yaml.Node) *Recovery {
	d := deref(n)
	if d.Kind == yaml.ScalarNode {
		f, ok := p.days(n, "recovery", recoveryHint)
		if !ok {
			return nil
		}
		return &Recovery{Min: f, Likely: f, Max: f, Pos: p.at(n)}
	}
	if d.Kind != yaml.MappingNode {
		p.errorf(n, "write a number of days, or {min: 20, likely: 30, max: 60}", "recovery must be a number or a mapping, not %s", describe(n))
		return nil
	}
	e, ok := p.object(n, "recovery", recoveryKeys)
	if !ok {
		return nil
	}
	var v [3]float64
	good := true
	for i, k := range recoveryKeys {
		kn := e.get(k)
		if kn == nil {
			p.errorf(e.node, "a three-point recovery gives min, likely and max days, such as {min: 20, likely: 30, max: 60}", "recovery has no %q", k)
			good = false
			continue
		}
		f, ok := p.days(kn, "recovery "+k, recoveryHint)
		v[i] = f
		good = good && ok
	}
	if !good {
		return nil
	}
	if v[0] > v[1] {
		p.errorf(e.get("min"), "min is the fewest days, likely the most likely, max the most: min ≤ likely ≤ max", "recovery min %v is more than likely %v", v[0], v[1])
		good = false
	}
	if v[1] > v[2] {
		p.errorf(e.get("max"), "min is the fewest days, likely the most likely, max the most: min ≤ likely ≤ max", "recovery max %v is less than likely %v", v[2], v[1])
		good = false
	}
	if !good {
		return nil
	}
	return &Recovery{Min: v[0], Likely: v[1], Max: v[2], Pos: p.at(n)}
}

// restore reads a list of {day, capacity}, days strictly increasing.
func (p *parser) restore(n *yaml.Node) []RestorePoint {
	list := p.list(n, "restore")
	if len(list) == 0 {
		if d := deref(n); isNull(n) || d.Kind == yaml.SequenceNode {
			p.errorf(n, "give capacity by day, such as [{day: 0, capacity: 0.1}, {day: 30, capacity: 1}], or remove restore", "restore is empty")
		}
		return nil
	}
	var out []RestorePoint
	good := true
	for _, item := range list {
		e, ok := p.object(item, "restore point", restoreKeys)
		if !ok {
			good = false
			continue
		}
		pt := RestorePoint{Pos: p.at(e.node)}
		dn, cn := e.get("day"), e.get("capacity")
		if dn == nil || cn == nil {
			p.errorf(e.node, "a restore point is {day: 10, capacity: 0.3}: the capacity, from 0 to 1, on that day after the attack", "restore point has no %q", map[bool]string{true: "day", false: "capacity"}[dn == nil])
			good = false
			continue
		}
		day, ok := p.integer(dn, "restore day", 0, maxDays)
		if !ok {
			good = false
		}
		pt.Day = int(day)
		c, cok := p.number(cn, "restore capacity")
		if cok && (c < 0 || c > 1) {
			p.errorf(cn, "capacity is a fraction of normal, from 0 (nothing) to 1 (normal), such as 0.3", "restore capacity %v is out of range", c)
			cok = false
		}
		pt.Capacity = c
		if !ok || !cok {
			good = false
			continue
		}
		if len(out) > 0 && pt.Day <= out[len(out)-1].Day {
			prev := out[len(out)-1]
			p.errorf(dn, fmt.Sprintf("days must increase: list the points in order of day, each day once; the point before is at line %d", prev.Pos.Line), "restore day %d is not after day %d", pt.Day, prev.Day)
			good = false
			continue
		}
		out = append(out, pt)
	}
	if !good {
		return nil
	}
	return out
}

// activity reads unit: baseline per day.
func (p *parser) activity(n *yaml.Node) []Activity {
	if isNull(n) {
		return nil
	}
	d := deref(n)
	if d.Kind != yaml.MappingNode {
		p.errorf(n, "write unit: baseline per day, such as {outpatient-appointments: 5000, elective-procedures: 250}", "activity must be a mapping, not %s", describe(n))
		return nil
	}
	var out []Activity
	for i := 0; i+1 < len(d.Content); i += 2 {
		k, v := deref(d.Content[i]), d.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "a unit is a word such as outpatient-appointments", "activity has a unit that is %s", describe(k))
			continue
		}
		if !validUnit(k.Value) {
			hint := "a unit is a lower-case word with digits and hyphens, starting with a letter, such as outpatient-appointments"
			if s := suggestID(k.Value); s != "" && validUnit(s) {
				hint += fmt.Sprintf(": try %q", s)
			}
			p.errorf(k, hint, "activity unit %q is not a word", k.Value)
			continue
		}
		if prev := earlierKey(d, i); prev != nil {
			p.errorf(k, fmt.Sprintf("first at line %d; remove one of them", prev.Line), "duplicate activity unit %q", k.Value)
			continue
		}
		f, ok := p.number(v, "activity "+k.Value)
		if !ok {
			continue
		}
		if f < 0 || f > maxPerDay {
			p.errorf(v, "activity is the organisation's normal work in that unit per day, 0 or more, such as 5000", "activity %s %v is out of range", k.Value, f)
			continue
		}
		out = append(out, Activity{Unit: k.Value, PerDay: f, Pos: p.at(k)})
	}
	return out
}

// validUnit is unitPattern without the regexp machinery.
func validUnit(s string) bool {
	return s != "" && s[0] >= 'a' && s[0] <= 'z' && validID(s)
}

// timeOfOrganisation reads activity and tolerance.
func (p *parser) timeOfOrganisation(e entry, o *Node) {
	if v := e.get("activity"); v != nil {
		o.Activity = p.activity(v)
	}
	if v := e.get("tolerance"); v != nil {
		if f, ok := p.days(v, "tolerance", "tolerance is the days the organisation can run below half capacity, 0 or more"); ok {
			o.Tolerance = &f
		}
	}
}

// timeOfDependency reads share and buffer.
func (p *parser) timeOfDependency(e entry, d *Dependency) {
	if v := e.get("share"); v != nil {
		f, ok := p.number(v, "share")
		if ok && (f <= 0 || f > 1) {
			p.errorf(v, "share is the fraction of the consumer's activity that needs the provider, above 0 and at most 1, such as 0.2; remove the dependency if none does", "share %v is out of range", f)
			ok = false
		}
		if ok {
			d.Share = &f
		}
	}
	if v := e.get("buffer"); v != nil {
		if k, ok := p.integer(v, "buffer", 0, maxDays); ok {
			d.Buffer = int(k)
		}
	}
}

// checkTimeOfDependency warns of share or buffer on a relation they do not
// change: share scales what a service's shortfall takes from its consumer,
// buffer delays an outage.
func checkTimeOfDependency(p *parser, d *Dependency) {
	if d.Type == "" {
		return
	}
	info := d.Type.Info()
	if d.Share != nil && !info.Carries.Has(Degradation) {
		hint := "share scales what a service dependency's shortfall takes from its consumer"
		if info.Carries.Has(Outage) {
			hint = "a " + string(d.Type) + " dependency carries its provider's whole outage; share applies to service dependencies"
		}
		p.addIn(d.Pos.File, SevWarning, d.At("share"), fmt.Sprintf("share on %s dependency has no effect", article(string(d.Type))), hint)
	}
	if d.Fields.has("buffer") && !info.Carries.Has(Outage) {
		p.addIn(d.Pos.File, SevWarning, d.At("buffer"), fmt.Sprintf("buffer on %s dependency has no effect", article(string(d.Type))), "buffer delays the loss of a service or hosting provider")
	}
}

func (f Fields) has(key string) bool {
	for _, x := range f {
		if x.Key == key {
			return true
		}
	}
	return false
}

// maxOutageDays reads expect's max_outage_days: id: days.
func (p *parser) maxOutageDays(n *yaml.Node) []OutageLimit {
	return p.idDays(n, "max_outage_days", "write id: days, such as {gstt: 14}", func(id string) string {
		return fmt.Sprintf("the most days %q may spend below half capacity, from 0 to %d", id, maxDays)
	})
}

// idDays reads a mapping of id to days, from 0 to maxDays, each on its
// line: key is its name in messages, hint how to write it, and rangeHint
// says what the days of an id mean.
func (p *parser) idDays(n *yaml.Node, key, hint string, rangeHint func(id string) string) []OutageLimit {
	if isNull(n) {
		return nil
	}
	d := deref(n)
	if d.Kind != yaml.MappingNode {
		p.errorf(n, hint, "%s must be a mapping, not %s", key, describe(n))
		return nil
	}
	var out []OutageLimit
	for i := 0; i+1 < len(d.Content); i += 2 {
		k, v := deref(d.Content[i]), d.Content[i+1]
		id, ok := p.id(k, "id in "+key)
		if !ok {
			continue
		}
		if prev := earlierKey(d, i); prev != nil {
			p.errorf(k, fmt.Sprintf("first at line %d; remove one of them", prev.Line), "duplicate key %q in %s", id, key)
			continue
		}
		f, ok := p.number(v, key+" for "+id)
		if !ok {
			continue
		}
		if f < 0 || f > maxDays {
			p.errorf(v, rangeHint(id), "%s for %q is %v, out of range", key, id, f)
			continue
		}
		out = append(out, OutageLimit{ID: Ref{id, p.at(k)}, Days: f, Pos: p.at(v)})
	}
	return out
}

// timeDiffs says how two listings of one dependency differ in share and
// buffer, for the error that names both.
func timeDiffs(first, d *Dependency) []string {
	var out []string
	text := func(s *float64) string {
		if s == nil {
			return "none"
		}
		return fmt.Sprint(*s)
	}
	if a, b := text(first.Share), text(d.Share); a != b {
		out = append(out, fmt.Sprintf("share %s here, %s at line %d", b, a, first.Pos.Line))
	}
	if first.Buffer != d.Buffer {
		out = append(out, fmt.Sprintf("buffer %d here, %d at line %d", d.Buffer, first.Buffer, first.Pos.Line))
	}
	return out
}

// article puts "a" or "an" before a word.
func article(w string) string {
	if w != "" && strings.ContainsRune("aeiou", rune(w[0])) {
		return "an " + w
	}
	return "a " + w
}
