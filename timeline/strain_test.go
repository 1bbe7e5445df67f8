package timeline

import (
	"slices"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// strainOf returns the strain of a node, or nil if it is never strained.
func strainOf(tl *Timeline, id string) *Strain {
	for _, s := range tl.Strained {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// helped is a laboratory that fails for ten days, a consumer a that needs
// it for a fifth of its work, and a helper laboratory run by b, which
// needs it for half of its own.
func helped(aid model.Aid) *builder {
	b := newModel()
	b.org("a")
	b.org("b")
	b.svc("lab", "").Recovery = days(10)
	b.svc("lab2", "")
	b.dep("a", "lab", model.Service).Share = ptr(0.2)
	b.dep("b", "lab2", model.Service).Share = ptr(0.5)
	b.dep("a", "lab2", model.Service).Aid = &aid
	return b
}

func TestAidRules(t *testing.T) {
	for _, c := range []struct {
		name      string
		aid       model.Aid
		helperDay int // the helper's restore: 0 never compromised
		a, b      []float64
		strained  map[string][2]int // id: first day strained, days
	}{
		{
			name:     "headroom then shed, from after",
			aid:      model.Aid{After: 2, Headroom: 0.05, Shed: 0.1},
			a:        append(steps(0, 2, 0.8, 0.8), append(steps(0, 8, 0.95, 0.95), 1)...),
			b:        append(steps(0, 2, 1, 1), append(steps(0, 8, 0.95, 0.95), 1)...),
			strained: map[string][2]int{"lab2": {2, 8}, "b": {2, 8}},
		},
		{
			name:     "headroom alone strains nobody",
			aid:      model.Aid{Headroom: 0.1},
			a:        append(steps(0, 10, 0.9, 0.9), 1),
			b:        steps(0, 11, 1, 1),
			strained: map[string][2]int{},
		},
		{
			name:     "the shortfall is filled, no more",
			aid:      model.Aid{Headroom: 0.1, Shed: 0.5},
			a:        steps(0, 11, 1, 1),
			b:        append(steps(0, 10, 0.95, 0.95), 1),
			strained: map[string][2]int{"lab2": {0, 10}, "b": {0, 10}},
		},
		{
			name:      "a helper down gives nothing",
			aid:       model.Aid{Headroom: 0.1},
			helperDay: 4,
			a:         append(steps(0, 4, 0.8, 0.8), append(steps(0, 6, 0.9, 0.9), 1)...),
			strained:  map[string][2]int{},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := helped(c.aid)
			seeds := []string{"lab"}
			if c.helperDay > 0 {
				b.m.Services[1].Recovery = days(float64(c.helperDay))
				seeds = append(seeds, "lab2")
			}
			tl := b.run(t, seeds, Options{})
			if got := capacities(tl, "a"); !near(got, c.a) {
				t.Errorf("a: %v, want %v", got, c.a)
			}
			if c.b != nil {
				if got := capacities(tl, "b"); !near(got, c.b) {
					t.Errorf("b: %v, want %v", got, c.b)
				}
			}
			for _, id := range []string{"a", "b", "lab", "lab2"} {
				s, want := strainOf(tl, id), c.strained[id]
				switch {
				case s == nil && want != [2]int{}:
					t.Errorf("%s: not strained, want from day %d for %d days", id, want[0], want[1])
				case s != nil && (want == [2]int{} || s.From != want[0] || s.Days != want[1]):
					t.Errorf("%s: strained from day %d for %d days, want %v", id, s.From, s.Days, want)
				}
			}
			if s := strainOf(tl, "b"); s != nil && !slices.Equal(s.By, []string{"lab2"}) {
				t.Errorf("b strained by %v", s.By)
			}
			if n := tl.Of("b"); n != nil && c.strained["b"] != [2]int{} && !slices.Contains(n.Effects, graph.Strained) {
				t.Errorf("b's effects %v lack strained", n.Effects)
			}
		})
	}
}

// TestAidShared: a helper shares what it gives in proportion to the
// shortfall of those it helps.
func TestAidShared(t *testing.T) {
	b := helped(model.Aid{Headroom: 0.3})
	b.org("c")
	b.dep("c", "lab", model.Service).Share = ptr(0.4)
	b.dep("c", "lab2", model.Service).Aid = &model.Aid{Headroom: 0.3}
	tl := b.run(t, []string{"lab"}, Options{})
	// Shortfalls 0.2 and 0.4; 0.3 given: a gets 0.1, c 0.2.
	if got := capacities(tl, "a")[0]; !near([]float64{got}, []float64{0.9}) {
		t.Errorf("a: %v, want 0.9", got)
	}
	if got := capacities(tl, "c")[0]; !near([]float64{got}, []float64{0.8}) {
		t.Errorf("c: %v, want 0.8", got)
	}
}

// TestAidIdle: an aid link whose consumer is never short of the helper's
// kind changes nothing, and a helper of another kind does not stand in.
func TestAidIdle(t *testing.T) {
	b := helped(model.Aid{Headroom: 0.5, Shed: 0.5})
	b.m.Services[1].Kind = "epr"
	tl := b.run(t, []string{"lab"}, Options{})
	if got := capacities(tl, "a"); !near(got, append(steps(0, 10, 0.8, 0.8), 1)) {
		t.Errorf("a: %v", got)
	}
	if len(tl.Strained) != 0 || tl.Of("b") != nil {
		t.Errorf("strained %v", tl.Strained)
	}
}

func stockModel(days, alert float64) *builder {
	b := newModel()
	b.org("x")
	b.org("y")
	b.svc("lab", "").Recovery = days10
	s := b.svc("blood", "")
	s.Kind, s.Stock = model.StockKind, &model.Stock{Days: days, Alert: alert}
	b.dep("x", "blood", model.Service).Surge = &model.Surge{When: model.Ref{Value: "lab"}, Factor: 2, Share: 0.5}
	b.dep("y", "blood", model.Service)
	return b
}

var days10 = days(10)

func TestStockRunsDown(t *testing.T) {
	tl := stockModel(6, 2).run(t, []string{"lab"}, Options{Horizon: 20})
	if len(tl.Stocks) != 1 {
		t.Fatalf("stocks %v", tl.Stocks)
	}
	s := tl.Stocks[0]
	var want []float64
	for d := range 20 {
		want = append(want, 6-0.5*float64(min(d, 10)))
	}
	if !near(s.Level, want) {
		t.Errorf("level %v, want %v", s.Level, want)
	}
	if s.AlertDay == nil || *s.AlertDay != 9 {
		t.Errorf("alert day %v, want 9", s.AlertDay)
	}
	// The stock and every consumer are strained from day 9 to the horizon;
	// none of them is short.
	for _, id := range []string{"blood", "x", "y"} {
		st := strainOf(tl, id)
		if st == nil || st.From != 9 || st.Days != 11 || st.Until != nil || !slices.Equal(st.By, []string{"blood"}) {
			t.Errorf("%s: %+v", id, st)
		}
		if tl.Of(id) != nil {
			t.Errorf("%s is short", id)
		}
	}
	if tl.Totals.Strained != 2 {
		t.Errorf("totals: %d organisations strained, want 2", tl.Totals.Strained)
	}
	// Never below the alert: nobody is strained, the level is reported.
	tl = stockModel(6, 0.5).run(t, []string{"lab"}, Options{Horizon: 20})
	if len(tl.Strained) != 0 || tl.Stocks[0].AlertDay != nil {
		t.Errorf("strained %v, alert %v", tl.Strained, tl.Stocks[0].AlertDay)
	}
	// An empty stock stays at 0.
	tl = stockModel(3, 1).run(t, []string{"lab"}, Options{Horizon: 12})
	if l := tl.Stocks[0].Level; l[6] != 0 || l[11] != 0 {
		t.Errorf("level %v", l)
	}
}

// TestStockUntouched: a stock whose surges name nodes the compromise does
// not reach is left out.
func TestStockUntouched(t *testing.T) {
	b := stockModel(6, 2)
	b.svc("other", "").Recovery = days(3)
	tl := b.run(t, []string{"other"}, Options{})
	if tl.Stocks != nil || tl.Strained != nil {
		t.Errorf("stocks %v, strained %v", tl.Stocks, tl.Strained)
	}
}

// TestAidHelperRunByItsConsumer: a helper run by one of its own consumers
// keeps what it has to give; its shed does not come back round to it
// through its operator.
func TestAidHelperRunByItsConsumer(t *testing.T) {
	b := helped(model.Aid{Shed: 0.1})
	b.m.Services[1].Operator = "b"
	tl := b.run(t, []string{"lab"}, Options{})
	if got := capacities(tl, "a"); !near(got, append(steps(0, 10, 0.9, 0.9), 1)) {
		t.Errorf("a: %v", got)
	}
	if got := capacities(tl, "b"); !near(got, append(steps(0, 10, 0.95, 0.95), 1)) {
		t.Errorf("b: %v", got)
	}
	if tl.Of("lab2") != nil {
		t.Errorf("the helper is short: %v", capacities(tl, "lab2"))
	}
}

// TestAidWhenTheProviderHelpsOthers: a consumer's own laboratory, itself a
// helper of a third party, still counts as its provider of that kind, so
// when it goes down the consumer's helper steps in.
func TestAidWhenTheProviderHelpsOthers(t *testing.T) {
	m, err := model.Parse("aid.yaml", []byte(`version: 1
organisations:
  - {id: a, kind: trust}
  - {id: c, kind: trust}
services:
  - {id: lab, kind: pathology, recovery: 10}
  - {id: lab2, kind: pathology}
  - {id: lab3, kind: pathology}
dependencies:
  - {from: a, to: lab, type: service, share: 0.5}
  - {from: a, to: lab2, type: service, aid: {after: 1, headroom: 0.2}}
  - {from: c, to: lab3, type: service, share: 0.5}
  - {from: c, to: lab, type: service, aid: {after: 1, headroom: 0.2}}
  - {from: c, to: a, type: service, share: 0.1}
`))
	if err != nil {
		t.Fatal(err)
	}
	g, err := graph.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	tl, err := Compute(g, []string{"lab"}, Options{Horizon: 5})
	if err != nil {
		t.Fatal(err)
	}
	// Day 0: a is at 0.5; from day 1 lab2's headroom of 0.2 fills 0.2 of
	// its shortfall of 0.5: 1 − 0.5 + 0.2 = 0.7.
	if got, want := capacities(tl, "a"), []float64{0.5, 0.7, 0.7, 0.7, 0.7}; !slices.Equal(got, want) {
		t.Errorf("a's capacity %v, want %v", got, want)
	}
}

// TestAidHelperKeepsHelping: a helper keeps helping when the laboratory's operator
// relies on it, so what it sheds lowers the operator, and with it the
// laboratory, the next day; that cost of its own help does not make it a
// helper that is short itself, and it helps every day of the need.
func TestAidHelperKeepsHelping(t *testing.T) {
	m, err := model.Parse("aid.yaml", []byte(`version: 1
organisations:
  - {id: a, kind: trust}
  - {id: op, kind: trust}
services:
  - {id: lab, kind: pathology, recovery: 10}
  - {id: lab2, kind: pathology, operator: op}
dependencies:
  - {from: a, to: lab, type: service, share: 0.5}
  - {from: a, to: lab2, type: service, aid: {after: 0, shed: 0.2}}
  - {from: op, to: lab2, type: service, share: 0.5, buffer: 1}
`))
	if err != nil {
		t.Fatal(err)
	}
	g, err := graph.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	tl, err := Compute(g, []string{"lab"}, Options{Horizon: 12})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range tl.Strained {
		if s.ID == "lab2" {
			if s.From != 0 || s.Days != 10 {
				t.Errorf("lab2 strained from day %d for %d days, want from 0 for 10 (every day lab is down)", s.From, s.Days)
			}
			return
		}
	}
	t.Errorf("lab2 never strained: %+v", tl.Strained)
}
