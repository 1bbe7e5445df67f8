package timeline

import (
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// scenarioTimeline is the timeline of the model's scenario, with its
// assumptions made.
func scenarioTimeline(t *testing.T, src, name string) *Timeline {
	t.Helper()
	m, err := model.Parse("m.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	s := m.Scenario(name)
	if s == nil {
		t.Fatalf("no scenario %q", name)
	}
	g, err := graph.Build(m.Apply(s.Assume.Changes()))
	if err != nil {
		t.Fatal(err)
	}
	tl, err := Compute(g, s.Seeds(), Options{Mode: s.Mode, Scenario: s.Name})
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

// TestWhatIfAid: an aid link added from day 3 saves the activity of the
// days it fills. The trust does 100 tests a day, a fifth of them through
// its laboratory, which is down for 10 days: 100 × 0.2 × 10 = 200 lost.
// From day 3 the neighbour's headroom of 0.2 fills the whole shortfall,
// so only days 0 to 2 are lost: 100 × 0.2 × 3 = 60, and 140 are saved.
// Nobody else needs the neighbour and it sheds nothing: nobody is
// strained.
func TestWhatIfAid(t *testing.T) {
	const src = `version: 1
organisations:
  - {id: trust, kind: trust, activity: {tests: 100}}
services:
  - {id: lab, kind: pathology, recovery: 10}
  - {id: lab2, kind: pathology}
dependencies:
  - {from: trust, to: lab, type: service, share: 0.2}
scenarios:
  - {name: as it is, compromise: [lab]}
  - name: with aid
    compromise: [lab]
    assume:
      aid: [{from: trust, to: lab2, after: 3, headroom: 0.2}]
`
	base, aid := scenarioTimeline(t, src, "as it is"), scenarioTimeline(t, src, "with aid")
	if got := base.Totals.ActivityLost["tests"]; !about(got, 200) {
		t.Errorf("as it is: %v tests lost, want 200", got)
	}
	if got := aid.Totals.ActivityLost["tests"]; !about(got, 60) {
		t.Errorf("with aid: %v tests lost, want 60", got)
	}
	if got := base.Totals.ActivityLost["tests"] - aid.Totals.ActivityLost["tests"]; !about(got, 140) {
		t.Errorf("aid saves %v tests, want 140", got)
	}
	if c := aid.Of("trust").Capacity; !about(c[2], 0.8) || !about(c[3], 1) {
		t.Errorf("with aid, the trust's capacity on days 2 and 3 is %v and %v, want 0.8 and 1", c[2], c[3])
	}
	if aid.Totals.Strained != 0 {
		t.Errorf("with aid from headroom alone, %d organisations strained", aid.Totals.Strained)
	}
}

// TestWhatIfStock: a stock's alert or days changed in assume moves the
// day it crosses its alert. The trust draws 0.5 a day above normal for
// the 10 days its laboratory is down, from 6 days held: below 2 on day 9
// (level 1.5); below an alert of 3 on day 7 (2.5); from 6.5 days held,
// below 2 on day 10 (1.5); from 8 days, never (3 when the surge stops).
func TestWhatIfStock(t *testing.T) {
	const src = `version: 1
organisations:
  - {id: trust, kind: trust}
services:
  - {id: lab, kind: pathology, recovery: 10}
  - {id: blood, kind: stock, stock: {days: 6, alert: 2}}
dependencies:
  - {from: trust, to: lab, type: service, share: 0.2}
  - {from: trust, to: blood, type: service, share: 0.01, surge: {when: lab, factor: 2, share: 0.5}}
scenarios:
  - {name: as it is, compromise: [lab]}
  - {name: alert 3, compromise: [lab], assume: {stock: {blood: {alert: 3}}}}
  - {name: days 6.5, compromise: [lab], assume: {stock: {blood: {days: 6.5}}}}
  - {name: days 8, compromise: [lab], assume: {stock: {blood: {days: 8}}}}
`
	for _, c := range []struct {
		name string
		day  int // -1: never
	}{{"as it is", 9}, {"alert 3", 7}, {"days 6.5", 10}, {"days 8", -1}} {
		tl := scenarioTimeline(t, src, c.name)
		if len(tl.Stocks) != 1 {
			t.Fatalf("%s: %d stocks", c.name, len(tl.Stocks))
		}
		got := -1
		if d := tl.Stocks[0].AlertDay; d != nil {
			got = *d
		}
		if got != c.day {
			t.Errorf("%s: the stock crosses its alert on day %d, want %d (levels %v)", c.name, got, c.day, tl.Stocks[0].Level[:12])
		}
	}
}

func about(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
