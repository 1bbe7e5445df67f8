package graph

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/blastradius/blastradius/model"
)

func asError[T error](err error, target *T) bool { return errors.As(err, target) }

// naive is the rules of docs/model.md read literally: apply every rule to every
// dependency until nothing changes. It is slow and obviously right.
type naive struct {
	C, D, G, E map[string]bool
	dist       map[string]int // length of a shortest explaining path, by impact
}

func naiveSets(m *model.Model, seeds []string, mode model.Mode) *naive {
	nodes := map[string]*model.Node{}
	for _, n := range m.Nodes() {
		nodes[n.ID] = n
	}
	r := &naive{C: map[string]bool{}, D: map[string]bool{}, G: map[string]bool{}, E: map[string]bool{}, dist: map[string]int{}}
	const inf = 1 << 30
	dC := map[string]int{}
	relax := func(d map[string]int, v string, through int) bool {
		if old, ok := d[v]; !ok || through+1 < old {
			d[v] = through + 1
			return true
		}
		return false
	}
	for _, s := range seeds {
		r.C[s] = true
		dC[s] = 0
	}
	for changed := true; changed; {
		changed = false
		step := func(u, v string) { // u in C puts v in C
			if r.C[u] {
				if !r.C[v] {
					r.C[v], changed = true, true
				}
				if relax(dC, v, dC[u]) {
					changed = true
				}
			}
		}
		for _, n := range m.Services {
			if n.Operator != "" {
				step(n.Operator, n.ID)
			}
		}
		for _, d := range m.Dependencies {
			switch d.Type {
			case model.Access:
				if !nodes[d.From].Has(model.MFA) {
					step(d.To, d.From)
				}
			case model.Network:
				if !nodes[d.From].Has(model.Segmentation) {
					step(d.To, d.From)
				}
				if !nodes[d.To].Has(model.Segmentation) {
					step(d.From, d.To)
				}
			case model.Hosting:
				step(d.To, d.From)
			}
		}
	}
	if mode == model.Ransomware {
		for c := range r.C {
			r.D[c] = true
		}
		for changed := true; changed; {
			changed = false
			put := func(v string) {
				if !r.D[v] {
					r.D[v], changed = true, true
				}
			}
			for _, n := range m.Services {
				if n.Operator != "" && r.D[n.Operator] {
					put(n.ID)
				}
			}
			for _, d := range m.Dependencies {
				switch d.Type {
				case model.Hosting:
					if r.D[d.To] {
						put(d.From)
					}
				case model.Service:
					if d.Critical && r.D[d.To] && !slices.ContainsFunc(d.Alternatives, func(a string) bool { return !r.D[a] }) {
						put(d.From)
					}
				}
			}
		}
	}
	// Distances over states (node, effect carried): a node is down at the
	// distance of its compromise, or one step after a provider that takes
	// it down in the final D, whichever is shorter.
	dD := map[string]int{}
	for c := range r.D {
		if r.C[c] {
			dD[c] = dC[c]
		}
	}
	for changed := true; changed; {
		changed = false
		try := func(u, v string) {
			if !r.D[v] || !r.D[u] {
				return
			}
			if du, ok := dD[u]; ok && relax(dD, v, du) {
				changed = true
			}
		}
		for _, n := range m.Services {
			if n.Operator != "" {
				try(n.Operator, n.ID)
			}
		}
		for _, d := range m.Dependencies {
			switch {
			case d.Type == model.Hosting:
				try(d.To, d.From)
			case d.Type == model.Service && d.Critical && !slices.ContainsFunc(d.Alternatives, func(a string) bool { return !r.D[a] }):
				try(d.To, d.From)
			}
		}
	}
	dG, dE := map[string]int{}, map[string]int{}
	for _, d := range m.Dependencies {
		if d.Type == model.Service && r.D[d.To] && !r.D[d.From] {
			r.G[d.From] = true
			relax(dG, d.From, dD[d.To])
		}
		if (d.Type == model.Data || d.Type == model.Hosting) && r.C[d.To] && !r.C[d.From] {
			r.E[d.From] = true
			relax(dE, d.From, dC[d.To])
		}
	}
	for _, n := range m.Nodes() {
		id := n.ID
		switch {
		case r.C[id]:
			r.dist[id] = dC[id]
		case r.D[id]:
			r.dist[id] = dD[id]
		case r.G[id]:
			r.dist[id] = dG[id]
		case r.E[id]:
			r.dist[id] = dE[id]
		default:
			r.dist[id] = inf
		}
	}
	return r
}

// naiveReach returns the naive sets as an Impact without paths.
func naiveReach(g *Graph, seeds []string, mode model.Mode) *Impact {
	m := g.Model()
	r := naiveSets(m, seeds, mode)
	im := &Impact{Seeds: seeds, Mode: mode}
	for _, n := range m.Nodes() {
		a := &Affected{ID: n.ID, Impact: Unaffected}
		if r.C[n.ID] {
			a.Effects = append(a.Effects, Compromised)
		} else if r.D[n.ID] {
			a.Effects = append(a.Effects, Disrupted)
		}
		if r.G[n.ID] {
			a.Effects = append(a.Effects, Degraded)
		}
		if r.E[n.ID] {
			a.Effects = append(a.Effects, Exposed)
		}
		if len(a.Effects) == 0 {
			continue
		}
		a.Impact = a.Effects[0]
		im.Affected = append(im.Affected, a)
		if n.Class == model.ClassOrganisation {
			im.Summary.Organisations++
			im.Summary.Patients += n.Patients
			if !n.GivesPatients() && n.Kind != "supplier" && n.Kind != "icb" {
				im.Summary.WithoutFigures++
			}
			for _, e := range a.Effects {
				switch e {
				case Compromised:
					im.Summary.Compromised++
				case Disrupted:
					im.Summary.Disrupted++
				case Degraded:
					im.Summary.Degraded++
				case Exposed:
					im.Summary.Exposed++
				}
			}
		} else {
			im.Summary.Services++
		}
	}
	sort.Slice(im.Affected, func(i, j int) bool {
		a, b := im.Affected[i], im.Affected[j]
		if a.Impact != b.Impact {
			return a.Impact < b.Impact
		}
		return a.ID < b.ID
	})
	im.Summary.People = naivePeople(m, im.Affected)
	return im
}

// naivePeople counts people as the docs state it, with maps: within each
// ICB, the larger of the affected GP practices' lists added up and the
// largest other figure, capped by the ICB's own figure (0 included); a
// regional organisation counted in each ICB it serves, with its people
// there or its figure split by the ICBs' populations; ICBs added up, and
// the organisations without an ICB overlapping them.
func naivePeople(m *model.Model, affected []*Affected) int64 {
	type group struct{ lists, top int64 }
	groups := map[string]*group{}
	add := func(key string, gp bool, f int64) {
		if groups[key] == nil {
			groups[key] = &group{}
		}
		if gp {
			groups[key].lists += f
		} else {
			groups[key].top = max(groups[key].top, f)
		}
	}
	for _, a := range affected {
		n := m.Node(a.ID)
		if n.Class != model.ClassOrganisation {
			continue
		}
		gp := n.Kind == "gp-practice"
		if n.Kind == "icb" {
			add(n.ID, false, 0)
			continue
		}
		var served []model.ICBShare
		for _, s := range n.ServedICBs() {
			if x := m.Node(s.ID); x != nil && x.Kind == "icb" {
				served = append(served, s)
			}
		}
		switch {
		case len(served) == 0:
			add("", gp, n.Patients)
		case len(served) == 1:
			add(served[0].ID, gp, n.Patients)
		case n.PeoplePerICB():
			for _, s := range served {
				add(s.ID, gp, s.People)
			}
		default:
			w := make([]int64, len(served))
			var sum int64
			for i, s := range served {
				if x := m.Node(s.ID); x.GivesPatients() && x.Patients > 0 {
					w[i] = x.Patients
					sum += w[i]
				} else {
					sum = 0
					break
				}
			}
			if sum == 0 {
				for i := range w {
					w[i] = 1
				}
				sum = int64(len(w))
			}
			part := make([]int64, len(w))
			var given int64
			for i := range w {
				part[i] = n.Patients * w[i] / sum
				given += part[i]
			}
			for i := 0; given < n.Patients; i = (i + 1) % len(part) {
				part[i]++
				given++
			}
			for i, s := range served {
				add(s.ID, gp, part[i])
			}
		}
	}
	var total, loose int64
	for key, gr := range groups {
		n := max(gr.lists, gr.top)
		if key == "" {
			loose = n
			continue
		}
		if icb := m.Node(key); icb.GivesPatients() {
			n = min(n, icb.Patients)
		}
		total += n
	}
	return max(total, loose)
}

// randomModel makes a small model that exercises every rule: all relations,
// controls, non-critical edges, alternatives and operators, with cycles.
func randomModel(r *rand.Rand) *model.Model {
	m := &model.Model{Name: "random"}
	n := 2 + r.IntN(10)
	var ids []string
	for i := range n {
		id := fmt.Sprintf("n%02d", i)
		ids = append(ids, id)
		nd := &model.Node{ID: id, Name: id, Patients: int64(r.IntN(1000))}
		if r.IntN(5) == 0 { // the file gives no figure
			nd.Patients = 0
		} else {
			nd.Fields = model.Fields{{Key: "patients"}}
		}
		if r.IntN(4) == 0 {
			nd.Controls = append(nd.Controls, model.MFA)
		}
		if r.IntN(4) == 0 {
			nd.Controls = append(nd.Controls, model.Segmentation)
		}
		if i > 0 && r.IntN(3) == 0 {
			nd.Class, nd.Kind = model.ClassService, "epr"
			nd.Patients = 0
			m.Services = append(m.Services, nd)
		} else {
			nd.Class, nd.Kind = model.ClassOrganisation, []string{"trust", "trust", "gp-practice", "icb"}[r.IntN(4)]
			m.Organisations = append(m.Organisations, nd)
		}
	}
	var icbs []string
	for _, o := range m.Organisations {
		if o.Kind == "icb" {
			icbs = append(icbs, o.ID)
		}
	}
	for _, o := range m.Organisations {
		if o.Kind != "icb" && len(icbs) > 0 && r.IntN(4) > 0 {
			o.ICB = icbs[r.IntN(len(icbs))]
			if len(icbs) > 1 && r.IntN(5) == 0 { // a regional organisation
				other := icbs[r.IntN(len(icbs))]
				if other != o.ICB {
					o.ICBs = []model.ICBShare{{ID: o.ICB}, {ID: other}}
					if r.IntN(2) == 0 {
						o.ICBs[0].People, o.ICBs[0].Given = int64(r.IntN(800)), true
						o.ICBs[1].People, o.ICBs[1].Given = int64(r.IntN(800)), true
						o.Patients = o.ICBs[0].People + o.ICBs[1].People
					}
				}
			}
		}
	}
	for _, s := range m.Services {
		if r.IntN(2) == 0 && len(m.Organisations) > 0 {
			s.Operator = m.Organisations[r.IntN(len(m.Organisations))].ID
		}
	}
	for range r.IntN(3 * n) {
		from, to := ids[r.IntN(n)], ids[r.IntN(n)]
		if from == to {
			continue
		}
		d := &model.Dependency{From: from, To: to, Type: model.Relations[r.IntN(len(model.Relations))], Critical: r.IntN(3) > 0, Likelihood: 1}
		if d.Type == model.Service && r.IntN(3) == 0 {
			for _, a := range ids {
				if a != from && a != to && r.IntN(3) == 0 {
					d.Alternatives = append(d.Alternatives, a)
				}
			}
		}
		m.Dependencies = append(m.Dependencies, d)
	}
	return m
}

// TestReachMatchesNaive checks Reach against the naive reading of the rules
// on many random models: the same effects on every node, the same summary,
// and a path for every node that is a shortest one, starts at a seed, ends at
// the node, and takes only steps the model has.
func TestReachMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	runs := 4000
	if testing.Short() {
		runs = 500
	}
	for i := range runs {
		m := randomModel(r)
		g, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		ids := m.Nodes()
		var seeds []string
		for _, n := range ids {
			if r.IntN(len(ids)) == 0 {
				seeds = append(seeds, n.ID)
			}
		}
		if len(seeds) == 0 {
			seeds = []string{ids[r.IntN(len(ids))].ID}
		}
		slices.Sort(seeds)
		mode := model.Modes[r.IntN(2)]
		im, err := g.Reach(seeds, mode)
		if err != nil {
			t.Fatal(err)
		}
		want := naiveReach(g, seeds, mode)
		if outcome(im) != outcome(want) || im.Summary != want.Summary {
			t.Fatalf("run %d, seeds %v, %s:\n got %s %+v\nwant %s %+v\nmodel: %s", i, seeds, mode, outcome(im), im.Summary, outcome(want), want.Summary, dump(m))
		}
		sets := naiveSets(m, seeds, mode)
		for _, a := range im.Affected {
			if err := checkPath(m, seeds, a); err != nil {
				t.Fatalf("run %d, seeds %v, %s: %s: %v\nmodel: %s", i, seeds, mode, a.ID, err, dump(m))
			}
			if got, want := len(a.Path)-1, sets.dist[a.ID]; got != want {
				t.Fatalf("run %d, seeds %v, %s: path of %s %v has %d steps, a shortest has %d\nmodel: %s", i, seeds, mode, a.ID, a.Path, got, want, dump(m))
			}
		}
	}
}

// checkPath checks that every step of a path is a relation of the model,
// pointing the way effects travel.
func checkPath(m *model.Model, seeds []string, a *Affected) error {
	if len(a.Path) == 0 || a.Path[len(a.Path)-1] != a.ID {
		return fmt.Errorf("path %v does not end at the node", a.Path)
	}
	if !slices.Contains(seeds, a.Path[0]) {
		return fmt.Errorf("path %v does not start at a seed", a.Path)
	}
	if len(a.Via) != len(a.Path)-1 {
		return fmt.Errorf("%d relations for %d steps", len(a.Via), len(a.Path)-1)
	}
	for i, rel := range a.Via {
		u, v := a.Path[i], a.Path[i+1]
		ok := false
		if rel == Operator {
			if s := m.Node(v); s != nil && s.Operator == u {
				ok = true
			}
		}
		for _, d := range m.Dependencies {
			if d.Type == rel && ((d.To == u && d.From == v) || (rel == model.Network && d.From == u && d.To == v)) {
				ok = true
			}
		}
		if !ok {
			return fmt.Errorf("step %s -%s-> %s is not in the model", u, rel, v)
		}
	}
	return nil
}

func dump(m *model.Model) string {
	s := ""
	for _, n := range m.Nodes() {
		s += fmt.Sprintf("\n  %s %s %s op=%s %v", n.ID, n.Class, n.Kind, n.Operator, n.Controls)
	}
	for _, d := range m.Dependencies {
		s += fmt.Sprintf("\n  %s -> %s %s crit=%v alts=%v", d.From, d.To, d.Type, d.Critical, d.Alternatives)
	}
	return s
}
