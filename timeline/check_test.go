package timeline

import (
	"fmt"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

func TestMaxOutage(t *testing.T) {
	b := newModel()
	b.org("lab").Recovery = days(10)
	c := b.org("c")
	c.Pos = model.Pos{File: "m.yaml", Line: 3, Column: 5}
	b.dep("c", "lab", model.Service)
	s := &model.Scenario{Pos: model.Pos{File: "m.yaml"}, Expect: &model.Expectations{MaxOutageDays: []model.OutageLimit{
		{ID: model.Ref{Value: "c"}, Days: 7, Pos: model.Pos{Line: 20, Column: 9}},
		{ID: model.Ref{Value: "lab"}, Days: 10, Pos: model.Pos{Line: 21, Column: 9}},
	}}}
	tl := b.run(t, []string{"lab"}, Options{})
	got := MaxOutage(tl, s)
	if len(got) != 1 || got[0].ID != "c" || got[0].Pos.Line != 20 || len(got[0].Related) != 1 || got[0].Related[0].Pos.Line != 3 {
		t.Fatalf("findings %+v", got)
	}
	if got[0].Msg != `"c" is below half capacity for 10 days; the scenario allows at most 7` {
		t.Errorf("message %q", got[0].Msg)
	}
}

func TestRecoveryWithinTolerance(t *testing.T) {
	b := newModel()
	b.org("lab").Recovery = days(10)
	b.org("slow").Restore = []model.RestorePoint{{Day: 0, Capacity: 0}, {Day: 20, Capacity: 1}}
	c := b.org("c")
	c.Tolerance = ptr(7.0)
	b.dep("c", "lab", model.Service).Pos = model.Pos{Line: 30}
	b.dep("c", "slow", model.Service).Share = ptr(0.8) // the share does not matter: slow is at 1 on day 20
	ok := b.org("ok")
	ok.Tolerance = ptr(12.0)
	b.dep("ok", "lab", model.Service).Buffer = 2 // back on day 10 + 2, within 12
	late := b.org("late")
	late.Tolerance = ptr(11.0)
	b.dep("late", "lab", model.Service).Buffer = 2 // back on day 10 + 2, beyond 11
	alt := b.org("alt")
	alt.Tolerance = ptr(1.0)
	b.dep("alt", "lab", model.Service).Alternatives = []string{"ok"}
	minor := b.org("minor")
	minor.Tolerance = ptr(1.0)
	b.dep("minor", "lab", model.Service).Critical = false
	b.svc("hosted", "")
	b.dep("hosted", "lab", model.Hosting) // a service gives no tolerance
	tenant := b.org("tenant")
	tenant.Tolerance = ptr(4.0)
	b.dep("tenant", "hosted", model.Service)         // hosted has no recovery of its own
	b.dep("tenant", "lab", model.Hosting).Buffer = 5 // back on day 10 + 5, beyond 4
	got := RecoveryWithinTolerance(b.m)
	if len(got) != 4 || got[0].ID != "c" || got[0].Provider != "lab" || got[0].Pos.Line != 30 || len(got[0].Related) != 2 || got[1].ID != "c" || got[2].ID != "late" || got[3].ID != "tenant" {
		t.Fatalf("findings %+v", got)
	}
	if got[1].Msg != `"c" needs "slow", which is back after 20 days: beyond its tolerance of 7 days` || got[2].Msg != `"late" needs "lab", which is back after 10 days, and "late" after its buffer of 2 more: beyond its tolerance of 11 days` {
		t.Errorf("messages %q and %q", got[1].Msg, got[2].Msg)
	}
}

// TestChecks runs the timeline's rules as check does: each scenario on its
// own timeline, with its assumptions, and positions without a file in the
// model's file.
func TestChecks(t *testing.T) {
	b := newModel()
	b.m.File = "m.yaml"
	b.org("lab").Recovery = days(10)
	c := b.org("c")
	c.Tolerance = ptr(7.0)
	b.dep("c", "lab", model.Service).Pos = model.Pos{Line: 30}
	limit := []model.OutageLimit{{ID: model.Ref{Value: "c"}, Days: 7, Pos: model.Pos{Line: 20}}}
	b.m.Scenarios = []*model.Scenario{
		{Name: "as is", Compromise: []model.Ref{{Value: "lab"}}, Expect: &model.Expectations{MaxOutageDays: limit}},
		{Name: "without the lab", Compromise: []model.Ref{{Value: "lab"}}, Expect: &model.Expectations{MaxOutageDays: limit},
			Assume: model.Assumptions{Remove: []model.Removal{{From: model.Ref{Value: "c"}, To: model.Ref{Value: "lab"}}}}},
		{Name: "no limit", Compromise: []model.Ref{{Value: "lab"}}, Expect: &model.Expectations{}},
	}
	b.m.Policies = &model.Policies{RecoveryWithinTolerance: true}
	g, err := graph.Build(b.m)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := Checks(g)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cs {
		for _, f := range c.Findings {
			got = append(got, fmt.Sprintf("%s|%s|%s|%s %s|%d causes", c.Group, f.Check, f.Rule, f.ID, f.Pos, len(f.Causes)))
		}
		if c.Findings == nil {
			t.Errorf("%s: nil findings", c.Name)
		}
	}
	want := []string{
		`as is|as is: days below half capacity: c at most 7|expect_max_outage_days|c m.yaml:20:1|1 causes`,
		`policies|policies: critical providers are back within their consumers' tolerance|recovery_within_tolerance|c m.yaml:30:1|2 causes`,
	}
	if len(cs) != 3 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%d checks, findings:\n%s\nwant:\n%s", len(cs), strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
