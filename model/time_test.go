package model_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/model"
)

const timed = `version: 1
organisations:
  - id: gstt
    kind: trust
    activity: {outpatient-appointments: 6000, elective-procedures: 300}
    tolerance: 7
  - {id: synnovis, kind: supplier, recovery: 30}
services:
  - id: lims
    kind: pathology
    operator: synnovis
    restore:
      - {day: 0, capacity: 0.1}
      - {day: 14, capacity: 0.3}
      - {day: 52, capacity: 1}
  - {id: gateway, kind: gateway, recovery: {min: 10, likely: 20, max: 45}}
dependencies:
  - {from: gstt, to: lims, type: service, share: 0.02, buffer: 1}
  - {from: gstt, to: gateway, type: service, critical: false}
  - {from: synnovis, to: lims, type: service}
scenarios:
  - name: attack
    compromise: [lims]
    start: 2024-06-03
    expect:
      max_outage_days: {gstt: 0, lims: 40}
policies:
  recovery_within_tolerance: true
`

func TestTimeKeysRead(t *testing.T) {
	m := parseOK(t, timed)
	gstt, sup, lims, gw := m.Node("gstt"), m.Node("synnovis"), m.Node("lims"), m.Node("gateway")
	if got := gstt.Activity; len(got) != 2 || got[0].Unit != "outpatient-appointments" || got[0].PerDay != 6000 || got[1].Unit != "elective-procedures" || got[1].PerDay != 300 || got[0].Pos.Line != 5 {
		t.Errorf("activity: %+v", got)
	}
	if gstt.Tolerance == nil || *gstt.Tolerance != 7 || gstt.Recovery != nil || gstt.Restore != nil {
		t.Errorf("gstt: tolerance %v, recovery %v, restore %v", gstt.Tolerance, gstt.Recovery, gstt.Restore)
	}
	if r := sup.Recovery; r == nil || r.Min != 30 || r.Likely != 30 || r.Max != 30 || r.Pos.Line != 7 {
		t.Errorf("one-number recovery: %+v", r)
	}
	if r := gw.Recovery; r == nil || r.Min != 10 || r.Likely != 20 || r.Max != 45 {
		t.Errorf("three-point recovery: %+v", r)
	}
	want := []model.RestorePoint{{Day: 0, Capacity: 0.1}, {Day: 14, Capacity: 0.3}, {Day: 52, Capacity: 1}}
	got := append([]model.RestorePoint(nil), lims.Restore...)
	for i := range got {
		if got[i].Pos.Line != 13+i {
			t.Errorf("restore point %d at line %d", i, got[i].Pos.Line)
		}
		got[i].Pos = model.Pos{}
	}
	if !reflect.DeepEqual(got, want) || lims.Recovery != nil {
		t.Errorf("restore: %+v", lims.Restore)
	}
	d := m.Dependencies
	if d[0].Share == nil || *d[0].Share != 0.02 || d[0].ShareOrDefault() != 0.02 || d[0].Buffer != 1 {
		t.Errorf("share and buffer: %v %d", d[0].Share, d[0].Buffer)
	}
	if d[1].Share != nil || d[1].ShareOrDefault() != 0.5 || d[1].Buffer != 0 {
		t.Errorf("defaults of a dependency that is not critical: %v %v %d", d[1].Share, d[1].ShareOrDefault(), d[1].Buffer)
	}
	if d[2].ShareOrDefault() != 1 {
		t.Errorf("default share of a critical dependency: %v", d[2].ShareOrDefault())
	}
	s := m.Scenarios[0]
	if s.Start != "2024-06-03" {
		t.Errorf("start %q", s.Start)
	}
	if l := s.Expect.MaxOutageDays; len(l) != 2 || l[0].ID.Value != "gstt" || l[0].Days != 0 || l[1].ID.Value != "lims" || l[1].Days != 40 || l[1].ID.Pos.Line != 26 {
		t.Errorf("max_outage_days: %+v", l)
	}
	if !m.Policies.RecoveryWithinTolerance {
		t.Error("recovery_within_tolerance not read")
	}
	if len(m.Warnings) > 0 {
		t.Errorf("warnings: %v", m.Warnings)
	}
}

// A model without the keys of time has none of their values.
func TestNoTimeKeysNoValues(t *testing.T) {
	m := parseOK(t, "version: 1\norganisations:\n  - {id: a, kind: trust}\n  - {id: b, kind: supplier}\ndependencies:\n  - {from: a, to: b, type: service}\nscenarios:\n  - {name: x, compromise: [b], expect: {reaches: [a]}}\npolicies: {max_organisations: 3}\n")
	for _, n := range m.Nodes() {
		if n.Recovery != nil || n.Restore != nil || n.Activity != nil || n.Tolerance != nil {
			t.Errorf("%s: %+v", n.ID, n)
		}
	}
	d := m.Dependencies[0]
	if d.Share != nil || d.Buffer != 0 || m.Scenarios[0].Start != "" || m.Scenarios[0].Expect.MaxOutageDays != nil || m.Policies.RecoveryWithinTolerance {
		t.Errorf("defaults: %+v %+v %+v", d, m.Scenarios[0], m.Policies)
	}
}

func TestTimeErrors(t *testing.T) {
	orgs := "version: 1\norganisations:\n  - {id: a, kind: trust}\n  - {id: b, kind: supplier}\n"
	dep := func(extra string) string {
		return orgs + "dependencies:\n  - {from: a, to: b, type: service" + extra + "}\n"
	}
	cases := []struct{ name, src, want string }{
		{"min above likely", "version: 1\norganisations:\n  - {id: a, kind: trust, recovery: {min: 9, likely: 5, max: 10}}\n", "t.yaml:3:42: recovery min 9 is more than likely 5 (min is the fewest days"},
		{"likely above max", "version: 1\norganisations:\n  - {id: a, kind: trust, recovery: {min: 1, likely: 5, max: 4}}\n", "t.yaml:3:61: recovery max 4 is less than likely 5"},
		{"negative recovery", "version: 1\norganisations:\n  - {id: a, kind: trust, recovery: -2}\n", "t.yaml:3:36: recovery -2 is negative (recovery is the days"},
		{"negative likely", "version: 1\norganisations:\n  - {id: a, kind: trust, recovery: {min: -1, likely: 5, max: 9}}\n", "t.yaml:3:42: recovery min -1 is negative"},
		{"recovery as a list", "version: 1\norganisations:\n  - {id: a, kind: trust, recovery: [1, 2, 3]}\n", "t.yaml:3:36: recovery must be a number or a mapping, not a list (write a number of days"},
		{"recovery without likely", "version: 1\norganisations:\n  - {id: a, kind: trust, recovery: {min: 1, max: 2}}\n", `t.yaml:3:36: recovery has no "likely"`},
		{"both", "version: 1\norganisations:\n  - {id: a, kind: trust, recovery: 3, restore: [{day: 0, capacity: 0.5}]}\n", `t.yaml:3:48: "a" has both recovery and restore (give one`},
		{"days not increasing", "version: 1\nservices:\n  - id: s\n    kind: epr\n    restore:\n      - {day: 5, capacity: 0.1}\n      - {day: 5, capacity: 0.2}\n", "t.yaml:7:15: restore day 5 is not after day 5 (days must increase"},
		{"days decreasing", "version: 1\nservices:\n  - id: s\n    kind: epr\n    restore:\n      - {day: 5, capacity: 0.1}\n      - {day: 2, capacity: 0.2}\n", "t.yaml:7:15: restore day 2 is not after day 5"},
		{"fractional day", "version: 1\nservices:\n  - {id: s, kind: epr, restore: [{day: 1.5, capacity: 0.1}]}\n", "t.yaml:3:40: restore day must be a whole number, not 1.5"},
		{"capacity above 1", "version: 1\nservices:\n  - {id: s, kind: epr, restore: [{day: 0, capacity: 1.1}]}\n", "t.yaml:3:53: restore capacity 1.1 is out of range (capacity is a fraction of normal"},
		{"capacity below 0", "version: 1\nservices:\n  - {id: s, kind: epr, restore: [{day: 0, capacity: -0.1}]}\n", "t.yaml:3:53: restore capacity -0.1 is out of range"},
		{"restore empty", "version: 1\nservices:\n  - {id: s, kind: epr, restore: []}\n", "t.yaml:3:33: restore is empty"},
		{"restore point without capacity", "version: 1\nservices:\n  - {id: s, kind: epr, restore: [{day: 0}]}\n", `t.yaml:3:34: restore point has no "capacity"`},
		{"share 0", dep(", share: 0"), "t.yaml:6:44: share 0 is out of range (share is the fraction of the consumer's activity"},
		{"share above 1", dep(", share: 1.01"), "t.yaml:6:44: share 1.01 is out of range"},
		{"share negative", dep(", share: -0.5"), "t.yaml:6:44: share -0.5 is out of range"},
		{"buffer negative", dep(", buffer: -1"), "t.yaml:6:45: buffer -1 is out of range (use a value from 0 to 3650)"},
		{"buffer fractional", dep(", buffer: 0.5"), "t.yaml:6:45: buffer must be a whole number, not 0.5 (write a whole number)"},
		{"unit not a word", "version: 1\norganisations:\n  - {id: a, kind: trust, activity: {Outpatient Appointments: 5}}\n", `t.yaml:3:37: activity unit "Outpatient Appointments" is not a word (a unit is a lower-case word with digits and hyphens, starting with a letter, such as outpatient-appointments: try "outpatient-appointments")`},
		{"unit starts with a digit", "version: 1\norganisations:\n  - {id: a, kind: trust, activity: {111-calls: 5}}\n", `t.yaml:3:37: activity unit "111-calls" is not a word`},
		{"unit twice", "version: 1\norganisations:\n  - {id: a, kind: trust, activity: {calls: 5, calls: 6}}\n", `t.yaml:3:47: duplicate activity unit "calls"`},
		{"activity negative", "version: 1\norganisations:\n  - {id: a, kind: trust, activity: {calls: -5}}\n", "t.yaml:3:44: activity calls -5 is out of range"},
		{"activity as a list", "version: 1\norganisations:\n  - {id: a, kind: trust, activity: [calls]}\n", "t.yaml:3:36: activity must be a mapping, not a list"},
		{"activity on a service", "version: 1\nservices:\n  - {id: s, kind: epr, activity: {tests: 5}}\n", `t.yaml:3:24: "activity" is a key of organisations, not of a service (activity belongs to the organisations that use the service`},
		{"tolerance on a service", "version: 1\nservices:\n  - {id: s, kind: epr, tolerance: 5}\n", `t.yaml:3:24: "tolerance" is a key of organisations, not of a service`},
		{"tolerance negative", "version: 1\norganisations:\n  - {id: a, kind: trust, tolerance: -1}\n", "t.yaml:3:37: tolerance -1 is negative (tolerance is the days"},
		{"start not a date", orgs + "scenarios:\n  - {name: x, compromise: [b], start: 2024-02-30}\n", `t.yaml:6:39: start "2024-02-30" is not a date (write a date as YYYY-MM-DD`},
		{"start in words", orgs + "scenarios:\n  - {name: x, compromise: [b], start: 3 June 2024}\n", `t.yaml:6:39: start "3 June 2024" is not a date`},
		{"unknown id in max_outage_days", orgs + "scenarios:\n  - {name: x, compromise: [b], expect: {max_outage_days: {aa: 3}}}\n", `t.yaml:6:59: max_outage_days id "aa": no such organisation or service (did you mean "a"?)`},
		{"negative max_outage_days", orgs + "scenarios:\n  - {name: x, compromise: [b], expect: {max_outage_days: {a: -3}}}\n", `t.yaml:6:62: max_outage_days for "a" is -3, out of range`},
		{"max_outage_days as a list", orgs + "scenarios:\n  - {name: x, compromise: [b], expect: {max_outage_days: [a]}}\n", "t.yaml:6:58: max_outage_days must be a mapping, not a list"},
		{"max_outage_days id twice", orgs + "scenarios:\n  - {name: x, compromise: [b], expect: {max_outage_days: {a: 3, a: 4}}}\n", `t.yaml:6:65: duplicate key "a" in max_outage_days`},
		{"policy not a boolean", orgs + "policies:\n  recovery_within_tolerance: often\n", `t.yaml:6:30: recovery_within_tolerance must be true or false, not "often"`},
		{"listed twice with other shares", orgs + "dependencies:\n  - {from: a, to: b, type: service, share: 0.2}\n  - {from: a, to: b, type: service}\n", `t.yaml:7:5: the service dependency of "a" on "b" is listed twice, differently: share none here, 0.2 at line 6`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := model.Parse("t.yaml", []byte(c.src))
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			list := err.(model.ErrorList)
			if len(list) != 1 {
				t.Errorf("%d errors, want one: %v", len(list), list)
			}
			if got := list[0].Error(); !strings.HasPrefix(got, c.want) {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
			if list[0].Hint == "" {
				t.Errorf("no hint: %s", list[0].Error())
			}
		})
	}
}

func TestTimeWarnings(t *testing.T) {
	orgs := "version: 1\norganisations:\n  - {id: a, kind: trust}\n  - {id: b, kind: supplier}\ndependencies:\n"
	cases := []struct{ dep, want string }{
		{"{from: a, to: b, type: data, share: 0.5}", "t.yaml:6:41: warning: share on a data dependency has no effect"},
		{"{from: a, to: b, type: access, buffer: 2}", "t.yaml:6:44: warning: buffer on an access dependency has no effect"},
		{"{from: a, to: b, type: hosting, share: 0.5}", "t.yaml:6:44: warning: share on a hosting dependency has no effect (a hosting dependency carries its provider's whole outage"},
	}
	for _, c := range cases {
		m := parseOK(t, orgs+"  - "+c.dep+"\n")
		if len(m.Warnings) != 1 || !strings.HasPrefix(m.Warnings[0].Error(), c.want) {
			t.Errorf("%s: warnings %v, want %q", c.dep, m.Warnings, c.want)
		}
	}
	// A buffer on a hosting dependency delays its outage: no warning.
	if m := parseOK(t, orgs+"  - {from: a, to: b, type: hosting, buffer: 2}\n"); len(m.Warnings) > 0 {
		t.Errorf("hosting buffer: %v", m.Warnings)
	}
}

func TestFormatTimeKeys(t *testing.T) {
	src := `version: 1
organisations:
  - id: gstt
    tolerance: 7 # an assumption
    activity: {outpatient-appointments: 6000}
    kind: trust
    recovery: {max: 9, likely: 5, min: 1}
services:
  - id: lims
    restore:
      - {capacity: 0.1, day: 0}
    kind: pathology
dependencies:
  - from: gstt
    buffer: 1
    share: 0.02
    to: lims
    type: service
scenarios:
  - name: x
    start: 2024-06-03
    compromise: [lims]
    expect: {max_outage_days: {gstt: 3}, reaches: [gstt]}
policies:
  recovery_within_tolerance: true
  max_organisations: 3
`
	want := `version: 1
organisations:
  - id: gstt
    kind: trust
    recovery: {min: 1, likely: 5, max: 9}
    activity: {outpatient-appointments: 6000}
    tolerance: 7 # an assumption
services:
  - id: lims
    kind: pathology
    restore:
      - {day: 0, capacity: 0.1}
dependencies:
  - {from: gstt, to: lims, type: service, share: 0.02, buffer: 1}
scenarios:
  - name: x
    compromise: [lims]
    start: 2024-06-03
    expect: {reaches: [gstt], max_outage_days: {gstt: 3}}
policies:
  max_organisations: 3
  recovery_within_tolerance: true
`
	got := string(format(t, "t.yaml", []byte(src)))
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if again := string(format(t, "t.yaml", []byte(got))); again != got {
		t.Errorf("not idempotent:\n%s", again)
	}
	a, b := parseOK(t, src), parseOK(t, got)
	if said(t, a) != said(t, b) {
		t.Error("the formatted file says something else")
	}
}

// TestWorkedExampleInDocs checks that the worked example of docs/model.md
// loads and says what the text around it reads from it.
func TestWorkedExampleInDocs(t *testing.T) {
	doc, err := os.ReadFile("../docs/model.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	i := strings.Index(text, "A worked example")
	if i < 0 {
		t.Fatal("docs/model.md has no worked example of time and capacity")
	}
	block := text[i:]
	start := strings.Index(block, "```yaml\n")
	end := strings.Index(block[start+8:], "```")
	if start < 0 || end < 0 {
		t.Fatal("the worked example has no YAML block")
	}
	m := parseOK(t, "version: 1\n"+block[start+8:start+8+end])
	lims, trust := m.Node("lims"), m.Node("trust")
	if lims == nil || trust == nil || len(lims.Restore) != 3 || lims.Restore[2].Day != 6 || lims.Restore[2].Capacity != 0.8 {
		t.Fatalf("the example's laboratory: %+v", lims)
	}
	d := m.Dependencies[0]
	if d.ShareOrDefault() != 0.2 || d.Buffer != 2 || trust.Activity[0].PerDay != 1000 || *trust.Tolerance != 14 {
		t.Errorf("the example's trust and dependency: %+v %+v", trust, d)
	}
	if len(m.Warnings) > 0 {
		t.Errorf("warnings: %v", m.Warnings)
	}
}
