package graph

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/model"
)

// Delta is how two versions of a model differ, and what that does to the
// blast radius of every node and to the findings of Check.
type Delta struct {
	Old          string         `json:"old"`
	New          string         `json:"new"`
	Nodes        NodeDelta      `json:"nodes"`
	Dependencies DepDelta       `json:"dependencies"`
	BlastRadius  []RadiusChange `json:"blast_radius"` // nodes in both versions whose figures changed
	// MaxIncrease is the largest growth, in organisations, of one node's
	// blast radius in either mode (0 if none grew).
	MaxIncrease int          `json:"max_increase"`
	Findings    FindingDelta `json:"findings"`
	// versions is what Increase needs to find the change that caused the
	// largest growth, which it does only when asked.
	versions *versions
}

type versions struct {
	old, new *model.Model
	ng       *Graph
	once     sync.Once
	growth   *Growth
}

// Growth is one node's largest growth of blast radius, in one mode, with
// the line of the change that caused most of it: the added dependency or
// the lost controls whose undoing shrinks the node's blast radius most.
type Growth struct {
	RadiusChange
	Pos   model.Pos // the changed line
	Cause string    // what the change on that line did
}

// Increase is the finding of a change that grows a blast radius by more
// than limit organisations, on the line of the change that caused most of
// the growth; ok is false if no blast radius grew that much.
func (d *Delta) Increase(limit int) (f Finding, ok bool) {
	if d.versions == nil || d.MaxIncrease <= limit || limit < 0 {
		return Finding{}, false
	}
	v := d.versions
	v.once.Do(func() { v.growth = growth(d, v.old, v.new, v.ng) })
	g := v.growth
	f = finding(RuleFailOnIncrease, g.Pos, "the blast radius of %q (%s) grows from %s to %s, by %d, more than the limit of %d: %s",
		g.ID, g.Mode, english.Plural(g.Before, "organisation"), english.Commas(g.After), g.After-g.Before, limit, g.Cause)
	f.ID = g.ID
	f.Check = "diff: no blast radius grows by more than " + english.Plural(limit, "organisation")
	return f, true
}

// NodeDelta lists nodes added, removed, or with changed controls.
type NodeDelta struct {
	Added   []string       `json:"added"`
	Removed []string       `json:"removed"`
	Changed []ControlDelta `json:"changed"`
}

// ControlDelta is a node whose controls changed.
type ControlDelta struct {
	ID      string   `json:"id"`
	Added   []string `json:"controls_added"`
	Removed []string `json:"controls_removed"`
}

// DepDelta lists dependencies added and removed.
type DepDelta struct {
	Added   []DepRef `json:"added"`
	Removed []DepRef `json:"removed"`
}

// DepRef names a dependency, with its line in the version it is in.
type DepRef struct {
	From     string         `json:"from"`
	To       string         `json:"to"`
	Type     model.Relation `json:"type"`
	Critical bool           `json:"critical"`
	// File is the file that writes it, for a model in many files; empty
	// for the root file.
	File string `json:"file,omitempty"`
	Line int    `json:"line"`
}

// RadiusChange is one node's blast radius before and after, in one mode:
// organisations affected, the people they serve (each counted once, see
// Summary.People) and the sum of their own figures (Summary.Patients).
type RadiusChange struct {
	ID             string     `json:"id"`
	Mode           model.Mode `json:"mode"`
	Before         int        `json:"before"`
	After          int        `json:"after"`
	PatientsBefore int64      `json:"patients_before"`
	PatientsAfter  int64      `json:"patients_after"`
	PeopleBefore   int64      `json:"people_before"`
	PeopleAfter    int64      `json:"people_after"`
}

// diffMeasures are the measures whose change RadiusChange reports.
var diffMeasures = []Measure{MeasureOrganisations, MeasurePeople, MeasurePatients}

// FindingDelta lists findings of Check that appear or disappear.
type FindingDelta struct {
	New      []Finding `json:"new"`
	Resolved []Finding `json:"resolved"`
}

// Diff compares two versions of a model. today and more are passed to
// Check.
func Diff(old, new *model.Model, today string, more ...CheckFunc) (*Delta, error) {
	d := &Delta{Old: old.File, New: new.File}
	oldNodes, newNodes := byID(old), byID(new)
	for _, id := range sortedIDs(newNodes) {
		o, ok := oldNodes[id]
		if !ok {
			d.Nodes.Added = append(d.Nodes.Added, id)
			continue
		}
		n := newNodes[id]
		var cd ControlDelta
		for _, c := range n.Controls {
			if !o.Has(c) {
				cd.Added = append(cd.Added, c)
			}
		}
		for _, c := range o.Controls {
			if !n.Has(c) {
				cd.Removed = append(cd.Removed, c)
			}
		}
		if len(cd.Added)+len(cd.Removed) > 0 {
			cd.ID = id
			cd.Added, cd.Removed = nonNilS(cd.Added), nonNilS(cd.Removed)
			d.Nodes.Changed = append(d.Nodes.Changed, cd)
		}
	}
	for _, id := range sortedIDs(oldNodes) {
		if _, ok := newNodes[id]; !ok {
			d.Nodes.Removed = append(d.Nodes.Removed, id)
		}
	}
	d.Dependencies.Added = depsOnlyIn(new, old)
	d.Dependencies.Removed = depsOnlyIn(old, new)

	og, err := Build(old)
	if err != nil {
		return nil, err
	}
	ng, err := Build(new)
	if err != nil {
		return nil, err
	}
	for _, mode := range model.Modes {
		or, _ := og.Rank(mode, RankOptions{})
		nr, _ := ng.Rank(mode, RankOptions{})
		before := map[string]RankEntry{}
		for _, e := range or.Ranking {
			before[e.ID] = e
		}
		for _, e := range nr.Ranking {
			b, ok := before[e.ID]
			if !ok || Alike(b.Summary, e.Summary, diffMeasures...) {
				continue
			}
			d.BlastRadius = append(d.BlastRadius, RadiusChange{ID: e.ID, Mode: mode, Before: b.Organisations, After: e.Organisations,
				PatientsBefore: b.Patients, PatientsAfter: e.Patients, PeopleBefore: b.People, PeopleAfter: e.People})
			d.MaxIncrease = max(d.MaxIncrease, e.Organisations-b.Organisations)
		}
	}
	slices.SortStableFunc(d.BlastRadius, func(a, b RadiusChange) int {
		return cmp.Or(cmp.Compare(b.After-b.Before, a.After-a.Before), cmp.Compare(a.ID, b.ID), cmp.Compare(a.Mode, b.Mode))
	})
	if d.MaxIncrease > 0 {
		d.versions = &versions{old: old, new: new, ng: ng}
	}

	oc, err := Check(old, today, more...)
	if err != nil {
		return nil, err
	}
	nc, err := Check(new, today, more...)
	if err != nil {
		return nil, err
	}
	nc.Anchor(old) // a new finding shows on the line that caused it
	d.Findings.New = findingsOnlyIn(nc.Findings, oc.Findings)
	d.Findings.Resolved = findingsOnlyIn(oc.Findings, nc.Findings)
	d.Nodes.Added, d.Nodes.Removed = nonNilS(d.Nodes.Added), nonNilS(d.Nodes.Removed)
	if d.Nodes.Changed == nil {
		d.Nodes.Changed = []ControlDelta{}
	}
	if d.BlastRadius == nil {
		d.BlastRadius = []RadiusChange{}
	}
	return d, nil
}

// Widened reports whether the change adds a finding that is not waived.
func (d *Delta) Widened() bool {
	for _, f := range d.Findings.New {
		if f.Waiver == nil && f.Severity == SeverityError {
			return true
		}
	}
	return false
}

func byID(m *model.Model) map[string]*model.Node {
	out := map[string]*model.Node{}
	for _, n := range m.Nodes() {
		out[n.ID] = n
	}
	return out
}

func sortedIDs(m map[string]*model.Node) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func nonNilS(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

type depIdentity struct {
	from, to string
	rel      model.Relation
}

func identity(d *model.Dependency) depIdentity {
	if d.Type.BothWays() && d.To < d.From {
		return depIdentity{d.To, d.From, d.Type}
	}
	return depIdentity{d.From, d.To, d.Type}
}

// depsOnlyIn lists dependencies of a that b lacks, or has with another
// criticality, sorted by from, to and type.
func depsOnlyIn(a, b *model.Model) []DepRef {
	in := map[depIdentity]*model.Dependency{}
	for _, d := range b.Dependencies {
		in[identity(d)] = d
	}
	out := []DepRef{}
	for _, d := range a.Dependencies {
		if o, ok := in[identity(d)]; ok && sameDependency(o, d) {
			continue
		}
		out = append(out, DepRef{From: d.From, To: d.To, Type: d.Type, Critical: d.Critical, File: otherFile(d.Pos.File, a.File), Line: d.Pos.Line})
	}
	slices.SortFunc(out, func(x, y DepRef) int {
		return cmp.Or(cmp.Compare(x.From, y.From), cmp.Compare(x.To, y.To), cmp.Compare(x.Type, y.Type))
	})
	return out
}

func findingKey(f Finding) string {
	return f.Rule + "\x00" + f.Scenario + "\x00" + f.ID + "\x00" + f.Related
}

func findingsOnlyIn(a, b []Finding) []Finding {
	in := map[string]bool{}
	for _, f := range b {
		in[findingKey(f)] = true
	}
	out := []Finding{}
	for _, f := range a {
		if !in[findingKey(f)] {
			out = append(out, f)
		}
	}
	return out
}

// otherFile is file if it is not the model's root file, else empty: what
// DepRef and CutEdge carry.
func otherFile(file, root string) string {
	if file == root {
		return ""
	}
	return file
}

// maxCandidates bounds the changes growth tries undoing one at a time.
const maxCandidates = 200

// growth finds, for the largest growth of blast radius, the change whose
// undoing alone shrinks it most: each added or altered dependency, and
// each node that lost controls, is undone in a copy of the new model.
// Ties go to the first in file order; if undoing no single change shrinks
// it (the growth needs several together), the first change that touches a
// node the blast radius now reaches is named, else the node itself.
func growth(d *Delta, old, new *model.Model, ng *Graph) *Growth {
	rc := d.BlastRadius[0] // sorted by growth, largest first
	out := &Growth{RadiusChange: rc}
	if n, ok := ng.Lookup(rc.ID); ok {
		out.Pos, out.Cause = ng.at(n.Pos), "no single line of the change causes most of it"
	}
	type candidate struct {
		pos   model.Pos
		cause string
		undo  func() *model.Model
		nodes []string
	}
	var cands []candidate
	changed := changedDependencies(old)
	for _, dep := range new.Dependencies {
		if !changed(dep) {
			continue
		}
		cands = append(cands, candidate{pos: ng.at(dep.Pos), nodes: []string{dep.From, dep.To},
			cause: fmt.Sprintf("the change makes %q depend on %q (%s)", dep.From, dep.To, dep.Type),
			undo: func() *model.Model {
				m := *new
				m.Dependencies = nil
				for _, o := range new.Dependencies {
					if o != dep {
						m.Dependencies = append(m.Dependencies, o)
					}
				}
				if was := findDependency(old, dep); was != nil {
					m.Dependencies = append(m.Dependencies, was)
				}
				return &m
			}})
	}
	oldNodes := byID(old)
	for _, cd := range d.Nodes.Changed {
		if len(cd.Removed) == 0 {
			continue
		}
		n, ok := ng.Lookup(cd.ID)
		if !ok {
			continue
		}
		was := oldNodes[cd.ID]
		cands = append(cands, candidate{pos: ng.at(n.At("controls")), nodes: []string{cd.ID},
			cause: fmt.Sprintf("the change removes %s from %q", strings.Join(cd.Removed, ", "), cd.ID),
			undo: func() *model.Model {
				m := *new
				swap := func(list []*model.Node) []*model.Node {
					out := make([]*model.Node, len(list))
					for i, x := range list {
						if x.ID == cd.ID {
							c := *x
							c.Controls = was.Controls
							x = &c
						}
						out[i] = x
					}
					return out
				}
				m.Organisations, m.Services = swap(new.Organisations), swap(new.Services)
				return &m
			}})
	}
	slices.SortStableFunc(cands, func(a, b candidate) int { return comparePos(a.pos, b.pos) })
	now, err := ng.Reach([]string{rc.ID}, rc.Mode)
	if err != nil {
		return out
	}
	best, bestDrop := -1, 0
	for i, c := range cands {
		if i == maxCandidates {
			break
		}
		g, err := Build(c.undo())
		if err != nil {
			continue
		}
		im, err := g.Reach([]string{rc.ID}, rc.Mode)
		if err != nil {
			continue
		}
		if drop := now.Summary.Organisations - im.Summary.Organisations; drop > bestDrop {
			best, bestDrop = i, drop
		}
	}
	if best < 0 {
		reached := map[string]bool{}
		for _, a := range now.Affected {
			reached[a.ID] = true
		}
		for i, c := range cands {
			if slices.ContainsFunc(c.nodes, func(id string) bool { return reached[id] }) {
				best = i
				break
			}
		}
		if best < 0 {
			return out
		}
	}
	out.Pos, out.Cause = cands[best].pos, cands[best].cause
	if bestDrop > 0 {
		out.Cause += fmt.Sprintf(", which alone adds %s", english.Plural(bestDrop, "organisation"))
	}
	return out
}

// findDependency returns m's dependency with d's identity, or nil.
func findDependency(m *model.Model, d *model.Dependency) *model.Dependency {
	for _, o := range m.Dependencies {
		if identity(o) == identity(d) {
			return o
		}
	}
	return nil
}
