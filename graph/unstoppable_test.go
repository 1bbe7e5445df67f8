package graph

import (
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// takenWhatever is what compromising the seeds takes whatever controls the
// nodes have: the nodes compromised when every node has every control that
// stops anything. It is the reference for what chokepoints must not offer.
func takenWhatever(t *testing.T, m *model.Model, seeds []string) map[string]bool {
	t.Helper()
	var all []model.Change
	for _, n := range m.Nodes() {
		for _, c := range model.Stopping() {
			all = append(all, model.Change{Kind: model.AddControl, ID: n.ID, Control: c})
		}
	}
	im := affected(t, m.Apply(all), seeds, model.Exfiltration)
	out := map[string]bool{}
	for _, a := range im.Affected {
		if a.Impact == Compromised {
			out[a.ID] = true
		}
	}
	return out
}

// offersOnlyWhatCanBeStopped checks one scenario's chokepoints: none is
// something the seeds take whatever the controls, and each, made as a
// what-if, changes the result.
func offersOnlyWhatCanBeStopped(t *testing.T, m *model.Model, seeds []string, mode model.Mode) (checked int) {
	t.Helper()
	g, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := g.Chokepoints(seeds, mode, nil, 1000)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := g.Reach(seeds, mode)
	fixed := takenWhatever(t, m, seeds)
	for _, d := range cp.Dominators {
		if fixed[d.ID] {
			t.Fatalf("seeds %v, %s: %s offered as a dominator, but the seeds take it whatever its controls%s", seeds, mode, d.ID, dump(m))
		}
		// Kept clean: nothing reaches it.
		if im := affected(t, without(m, d.ID), seeds, mode); im.Summary.Organisations >= base.Summary.Organisations {
			t.Fatalf("seeds %v, %s: keeping %s clean changes nothing%s", seeds, mode, d.ID, dump(m))
		}
		checked++
	}
	if cp.Cut != nil && len(cp.Cut.Dependencies) > 0 {
		run := &Run{}
		for _, e := range cp.Cut.Dependencies {
			// A cut removes dependencies, never an operator's link; a
			// hosting dependency may be one of them.
			if e.Type == model.Operator {
				t.Fatalf("seeds %v, %s: cut %v offers the operator link %s → %s%s", seeds, mode, cp.Cut.Dependencies, e.From, e.To, dump(m))
			}
			// Every listing the cut names, as `assume: remove` reads it.
			rm := model.Removal{From: model.Ref{Value: e.From}, To: model.Ref{Value: e.To}, Type: e.Type}
			for i, d := range m.Dependencies {
				if rm.Matches(d) {
					run.Mask = append(run.Mask, i)
				}
			}
		}
		im, err := g.ReachWith(seeds, mode, run)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range cp.Cut.Protect {
			if im.Of(o) != nil {
				t.Fatalf("seeds %v, %s: cut %v leaves %s affected%s", seeds, mode, cp.Cut.Dependencies, o, dump(m))
			}
		}
		checked++
	}
	for _, gn := range cp.Changes {
		run := &Run{}
		switch gn.Control {
		case "alternative":
			i := slices.IndexFunc(m.Dependencies, func(d *model.Dependency) bool {
				return d.From == gn.ID && d.To == gn.To && d.Type.HasAlternatives()
			})
			run.Alternatives = []Alternative{{Dependency: i}}
		default:
			if fixed[gn.ID] {
				t.Fatalf("seeds %v, %s: %s offered, but the seeds take %s whatever its controls%s", seeds, mode, gn.Change, gn.ID, dump(m))
			}
			run.AddControls = []NodeControl{{ID: gn.ID, Control: gn.Control}}
		}
		im, err := g.ReachWith(seeds, mode, run)
		if err != nil {
			t.Fatal(err)
		}
		if im.Summary == base.Summary {
			t.Fatalf("seeds %v, %s: %s changes nothing%s", seeds, mode, gn.Change, dump(m))
		}
		checked++
	}
	return checked
}

func TestChokepointsOfferOnlyWhatCanBeStopped(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 17))
	checked := 0
	for range 1500 {
		m := randomModel(r)
		nodes := m.Nodes()
		seeds := []string{nodes[r.IntN(len(nodes))].ID}
		if s := nodes[r.IntN(len(nodes))].ID; r.IntN(3) == 0 && !slices.Contains(seeds, s) {
			seeds = append(seeds, s)
		}
		checked += offersOnlyWhatCanBeStopped(t, m, seeds, model.Modes[r.IntN(2)])
	}
	if checked < 500 {
		t.Errorf("only %d offers checked", checked)
	}
}

// TestChokepointsOnTheExamples runs every node of every example as the seed.
// A supplier's own services, and what a platform hosts, are never a
// dominator or a control; a hosting dependency may be cut.
func TestChokepointsOnTheExamples(t *testing.T) {
	files, _ := filepath.Glob("../examples/*.yaml")
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	for _, f := range files {
		m, err := model.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range m.Nodes() {
			for _, mode := range model.Modes {
				offersOnlyWhatCanBeStopped(t, m, []string{n.ID}, mode)
			}
		}
	}
	// Synnovis runs both laboratory services: its compromise takes them.
	m, err := model.Load("../examples/synnovis-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	g, _ := Build(m)
	cp, err := g.Chokepoints([]string{"synnovis"}, model.Ransomware, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range cp.Dominators {
		if d.ID == "synnovis-lims" || d.ID == "synnovis-gp-pathology" {
			t.Errorf("%s, which synnovis runs, offered to keep clean", d.ID)
		}
	}
	if cp.Cut.Size == 0 || cp.Cut.Unbreakable {
		t.Errorf("cut %+v: want the organisations' own dependencies", cp.Cut)
	}
	// Protecting a service the seed runs cannot be done.
	cp, err = g.Chokepoints([]string{"synnovis"}, model.Ransomware, []string{"synnovis-lims"}, 10)
	if err != nil || !cp.Cut.Unbreakable {
		t.Errorf("protecting synnovis-lims from synnovis: %+v, %v", cp.Cut, err)
	}
}
