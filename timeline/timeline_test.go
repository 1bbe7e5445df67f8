package timeline

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// A model written in code: "org:id", "svc:id@operator" nodes, and
// dependencies "from>to:relation" with options set by the caller.
type builder struct{ m *model.Model }

func newModel() *builder { return &builder{&model.Model{Name: "test"}} }

func (b *builder) org(id string) *model.Node {
	n := &model.Node{ID: id, Name: id, Class: model.ClassOrganisation, Kind: "trust"}
	b.m.Organisations = append(b.m.Organisations, n)
	return n
}

func (b *builder) svc(id, operator string) *model.Node {
	n := &model.Node{ID: id, Name: id, Class: model.ClassService, Kind: "pathology", Operator: operator}
	b.m.Services = append(b.m.Services, n)
	return n
}

func (b *builder) dep(from, to string, rel model.Relation) *model.Dependency {
	d := &model.Dependency{From: from, To: to, Type: rel, Critical: true, Likelihood: 1}
	b.m.Dependencies = append(b.m.Dependencies, d)
	return d
}

func days(n float64) *model.Recovery { return &model.Recovery{Min: n, Likely: n, Max: n} }

func ptr[T any](x T) *T { return &x }

func (b *builder) run(t *testing.T, seeds []string, opt Options) *Timeline {
	t.Helper()
	g, err := graph.Build(b.m)
	if err != nil {
		t.Fatal(err)
	}
	tl, err := Compute(g, seeds, opt)
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

// capacities returns a node's capacity by day, or all 1 for a node never
// short.
func capacities(tl *Timeline, id string) []float64 {
	if n := tl.Of(id); n != nil {
		return n.Capacity
	}
	out := make([]float64, tl.Horizon)
	for i := range out {
		out[i] = 1
	}
	return out
}

func near(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9 {
			return false
		}
	}
	return true
}

// steps is n0 zeros then ones, to length n.
func steps(zeros, n int, low, high float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = high
		if i < zeros {
			out[i] = low
		}
	}
	return out
}

func TestRules(t *testing.T) {
	cases := []struct {
		name  string
		build func(b *builder)
		seeds []string
		opt   Options
		id    string
		want  []float64
	}{
		{"recovery: 0 until its likely days, then 1", func(b *builder) {
			b.org("a").Recovery = days(3)
		}, []string{"a"}, Options{}, "a", []float64{0, 0, 0, 1}},
		{"recovery: the likely value, not min or max", func(b *builder) {
			b.org("a").Recovery = &model.Recovery{Min: 1, Likely: 2, Max: 9}
		}, []string{"a"}, Options{}, "a", []float64{0, 0, 1}},
		{"restore: linear between points, 1 after the last", func(b *builder) {
			b.org("a").Restore = []model.RestorePoint{{Day: 0, Capacity: 0.1}, {Day: 2, Capacity: 0.3}, {Day: 4, Capacity: 0.5}}
		}, []string{"a"}, Options{}, "a", []float64{0.1, 0.2, 0.3, 0.4, 0.5, 1}},
		{"restore: 0 before the first point", func(b *builder) {
			b.org("a").Restore = []model.RestorePoint{{Day: 2, Capacity: 0.5}, {Day: 3, Capacity: 1}}
		}, []string{"a"}, Options{}, "a", []float64{0, 0, 0.5, 1}},
		{"no recovery: 0 to the horizon", func(b *builder) {
			b.org("a")
		}, []string{"a"}, Options{Horizon: 5}, "a", []float64{0, 0, 0, 0, 0}},
		{"exfiltration: compromised nodes stay at 1", func(b *builder) {
			b.org("a")
			b.org("c")
			b.dep("c", "a", model.Service)
		}, []string{"a"}, Options{Mode: model.Exfiltration}, "c", []float64{1}},
		{"critical service: follows its provider", func(b *builder) {
			b.org("a").Recovery = days(2)
			b.org("c")
			b.dep("c", "a", model.Service)
		}, []string{"a"}, Options{}, "c", []float64{0, 0, 1}},
		{"not critical: share 0.5", func(b *builder) {
			b.org("a").Recovery = days(2)
			b.org("c")
			b.dep("c", "a", model.Service).Critical = false
		}, []string{"a"}, Options{}, "c", []float64{0.5, 0.5, 1}},
		{"share given", func(b *builder) {
			b.org("a").Recovery = days(2)
			b.org("c")
			b.dep("c", "a", model.Service).Share = ptr(0.2)
		}, []string{"a"}, Options{}, "c", []float64{0.8, 0.8, 1}},
		{"two providers multiply", func(b *builder) {
			b.org("a").Recovery = days(1)
			b.org("c")
			b.dep("c", "a", model.Service).Share = ptr(0.5)
			b.org("b").Recovery = days(1)
			b.dep("c", "b", model.Service).Share = ptr(0.2)
		}, []string{"a", "b"}, Options{}, "c", []float64{0.4, 1}},
		{"buffer: the provider's capacity that many days earlier", func(b *builder) {
			b.org("a").Recovery = days(2)
			b.org("c")
			b.dep("c", "a", model.Service).Buffer = 3
		}, []string{"a"}, Options{}, "c", []float64{1, 1, 1, 0, 0, 1}},
		{"alternative up: half", func(b *builder) {
			b.org("a").Recovery = days(2)
			b.org("c")
			b.org("alt")
			b.dep("c", "a", model.Service).Alternatives = []string{"alt"}
		}, []string{"a"}, Options{}, "c", []float64{0.5, 0.5, 1}},
		{"alternative down too: its own capacity", func(b *builder) {
			b.org("a").Recovery = days(3)
			b.org("alt").Recovery = days(1)
			b.org("c")
			b.dep("c", "a", model.Service).Alternatives = []string{"alt"}
		}, []string{"a", "alt"}, Options{}, "c", []float64{0, 0.5, 0.5, 1}},
		{"alternative partly up: the smaller of 0.5 and its capacity", func(b *builder) {
			b.org("a").Recovery = days(2)
			b.org("alt")
			b.org("x").Recovery = days(2)
			b.dep("alt", "x", model.Service).Share = ptr(0.8)
			b.org("c")
			b.dep("c", "a", model.Service).Alternatives = []string{"alt"}
		}, []string{"a", "x"}, Options{}, "c", []float64{0.2, 0.2, 1}},
		{"operator: its service follows it, share 1", func(b *builder) {
			b.org("a").Recovery = days(2)
			b.org("op")
			b.dep("op", "a", model.Service).Share = ptr(0.4)
			b.svc("s", "op")
		}, []string{"a"}, Options{}, "s", []float64{0.6, 0.6, 1}},
		{"an operator compromised compromises its service", func(b *builder) {
			b.org("op").Recovery = days(2)
			b.svc("s", "op").Recovery = days(1)
		}, []string{"op"}, Options{}, "s", []float64{0, 0, 1}},
		{"hosting: share 1 whatever the file says, with its buffer", func(b *builder) {
			b.org("a").Recovery = days(2)
			b.org("host")
			b.dep("host", "a", model.Service)
			b.org("c")
			d := b.dep("c", "host", model.Hosting)
			d.Share, d.Buffer = ptr(0.1), 1
		}, []string{"a"}, Options{}, "c", []float64{1, 0, 0, 1}},
		{"data and access carry no outage", func(b *builder) {
			b.org("a").Recovery = days(2)
			b.org("c").Controls = []string{model.MFA}
			b.dep("c", "a", model.Data)
			b.dep("c", "a", model.Access)
		}, []string{"a"}, Options{}, "c", []float64{1, 1, 1}},
		{"compromised: its own curve times its providers", func(b *builder) {
			b.org("a").Recovery = days(1)
			b.org("b").Recovery = days(3)
			b.dep("a", "b", model.Service)
		}, []string{"a", "b"}, Options{}, "a", []float64{0, 0, 0, 1}},
		{"compromise spreads: the spread node follows its own recovery", func(b *builder) {
			b.org("a").Recovery = days(1)
			b.org("c").Recovery = days(2)
			b.dep("c", "a", model.Hosting)
		}, []string{"a"}, Options{}, "c", []float64{0, 0, 1}},
		{"a cycle up stays up", func(b *builder) {
			b.org("a").Recovery = days(1)
			b.org("x")
			b.org("y")
			b.dep("x", "y", model.Service)
			b.dep("y", "x", model.Service)
			b.dep("x", "a", model.Service).Share = ptr(0.5)
		}, []string{"a"}, Options{}, "y", []float64{0.5, 1}},
		{"a cycle: a member down takes down those that need it fully", func(b *builder) {
			b.org("a").Recovery = days(1)
			b.org("x")
			b.org("y")
			b.dep("x", "y", model.Service)
			b.dep("y", "x", model.Service)
			b.dep("x", "a", model.Service)
		}, []string{"a"}, Options{}, "y", []float64{0, 1}},
		{"horizon: exactly that many days", func(b *builder) {
			b.org("a").Recovery = days(1)
		}, []string{"a"}, Options{Horizon: 4}, "a", []float64{0, 1, 1, 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := newModel()
			c.build(b)
			tl := b.run(t, c.seeds, c.opt)
			if got := capacities(tl, c.id); !near(got, c.want) {
				t.Errorf("capacity of %s: %v, want %v", c.id, got, c.want)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	b := newModel()
	icb := b.org("icb")
	icb.Kind = "icb"
	b.org("lab").Recovery = days(4)
	gstt := b.org("gstt")
	gstt.ICB = "icb"
	gstt.Activity = []model.Activity{{Unit: "outpatients", PerDay: 100}, {Unit: "electives", PerDay: 10}}
	b.dep("gstt", "lab", model.Service).Share = ptr(0.6)
	kch := b.org("kch")
	kch.Activity = []model.Activity{{Unit: "outpatients", PerDay: 50}}
	b.dep("kch", "lab", model.Service)
	tl := b.run(t, []string{"lab"}, Options{Start: "2024-06-03"})
	if tl.Horizon != 5 {
		t.Fatalf("horizon %d, want 5 (day 4 is the day everything is back)", tl.Horizon)
	}
	g := tl.Of("gstt")
	if g.FirstShort != 0 || g.DaysAtZero != 0 || g.DaysBelowHalf != 4 || g.Back == nil || *g.Back != 4 {
		t.Errorf("gstt: first %d, zero %d, below half %d, back %v", g.FirstShort, g.DaysAtZero, g.DaysBelowHalf, g.Back)
	}
	if math.Abs(g.ServiceDaysLost-2.4) > 1e-9 || math.Abs(g.ActivityLost["outpatients"]-240) > 1e-9 || math.Abs(g.ActivityLost["electives"]-24) > 1e-9 {
		t.Errorf("gstt lost %v service-days, %v", g.ServiceDaysLost, g.ActivityLost)
	}
	if g.BackDate != "2024-06-07" || g.FirstShortDate != "2024-06-03" {
		t.Errorf("gstt dates %s, %s", g.FirstShortDate, g.BackDate)
	}
	k := tl.Of("kch")
	if k.DaysAtZero != 4 || !slices.Equal(k.Effects, []graph.Effect{graph.Disrupted}) {
		t.Errorf("kch: zero %d, effects %v", k.DaysAtZero, k.Effects)
	}
	if tl.Totals.Organisations != 3 || math.Abs(tl.Totals.ActivityLost["outpatients"]-440) > 1e-9 || math.Abs(tl.Totals.ServiceDaysLost-10.4) > 1e-9 {
		t.Errorf("totals %+v", tl.Totals)
	}
	if tl.Totals.Back == nil || *tl.Totals.Back != 4 || tl.Totals.BackDate != "2024-06-07" {
		t.Errorf("totals back %v %s", tl.Totals.Back, tl.Totals.BackDate)
	}
	if len(tl.ICBs) != 2 || tl.ICBs[0].ID != "icb" || tl.ICBs[0].Organisations != 1 || tl.ICBs[1].ID != "" || tl.ICBs[1].Organisations != 2 {
		t.Errorf("icbs %+v %+v", tl.ICBs[0], tl.ICBs[len(tl.ICBs)-1])
	}
	if len(tl.NoRecovery) != 0 {
		t.Errorf("no recovery %v", tl.NoRecovery)
	}
	// Nodes by first day short, then id: lab, gstt, kch all on day 0.
	var ids []string
	for _, n := range tl.Nodes {
		ids = append(ids, n.ID)
	}
	if strings.Join(ids, ",") != "gstt,kch,lab" {
		t.Errorf("nodes %v", ids)
	}
	w := tl.Weekly()
	if len(w) != 1 || w[0].BelowHalf != 3 || w[0].From != "2024-06-03" || w[0].To != "2024-06-07" || math.Abs(w[0].ActivityLost["outpatients"]-440) > 1e-9 {
		t.Errorf("weeks %+v", w[0])
	}
}

func TestNoRecovery(t *testing.T) {
	b := newModel()
	b.org("a")
	b.org("c")
	b.dep("c", "a", model.Service)
	tl := b.run(t, []string{"a"}, Options{})
	if tl.Horizon != MaxHorizon || !slices.Equal(tl.NoRecovery, []string{"a"}) || tl.Totals.Back != nil || tl.Of("c").Back != nil {
		t.Errorf("horizon %d, no recovery %v, back %v", tl.Horizon, tl.NoRecovery, tl.Totals.Back)
	}
}

func TestWeeks(t *testing.T) {
	b := newModel()
	b.org("a").Recovery = days(10)
	c := b.org("c")
	c.Activity = []model.Activity{{Unit: "tests", PerDay: 7}}
	b.dep("c", "a", model.Service).Share = ptr(0.5)
	tl := b.run(t, []string{"a"}, Options{})
	w := tl.Weekly()
	if len(w) != 2 || w[0].FromDay != 0 || w[0].ToDay != 6 || w[1].FromDay != 7 || w[1].ToDay != 10 {
		t.Fatalf("weeks %+v", w)
	}
	if w[0].ActivityLost["tests"] != 7*7*0.5 || w[1].ActivityLost["tests"] != 3*7*0.5 || w[0].BelowHalf != 1 || w[0].Short != 2 {
		t.Errorf("weeks %+v %+v", w[0], w[1])
	}
}
