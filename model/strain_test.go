package model_test

import (
	"strings"
	"testing"

	"github.com/blastradius/blastradius/model"
)

const strainModel = `version: 1
organisations:
  - {id: gstt, kind: trust}
  - {id: lgt, kind: trust}
services:
  - {id: lab, kind: pathology}
  - {id: lgt-lab, kind: pathology, operator: lgt}
  - {id: o-neg, kind: stock, stock: {alert: 2, days: 6}}
dependencies:
  - {from: gstt, to: lab, type: service}
  - {from: gstt, to: lgt-lab, type: service, aid: {shed: 0.2, headroom: 0.05, after: 2}}
  - {from: gstt, to: o-neg, type: service, surge: {share: 0.004, factor: 1.94, when: lab}}
`

func TestStrainKeys(t *testing.T) {
	m, err := model.Parse("m.yaml", []byte(strainModel))
	if err != nil {
		t.Fatal(err)
	}
	s := m.Services[2].Stock
	if s == nil || s.Days != 6 || s.Alert != 2 {
		t.Errorf("stock: %+v", s)
	}
	a := m.Dependencies[1].Aid
	if a == nil || a.After != 2 || a.Headroom != 0.05 || a.Shed != 0.2 {
		t.Errorf("aid: %+v", a)
	}
	u := m.Dependencies[2].Surge
	if u == nil || u.When.Value != "lab" || u.Factor != 1.94 || u.Share != 0.004 {
		t.Errorf("surge: %+v", u)
	}
	if m.Dependencies[0].Aid != nil || m.Dependencies[0].Surge != nil {
		t.Error("an ordinary dependency has aid or surge")
	}
	// fmt writes the keys of aid, stock and surge in their order, and
	// the file says the same.
	got, err := model.Format("m.yaml", []byte(strainModel))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"aid: {after: 2, headroom: 0.05, shed: 0.2}", "stock: {days: 6, alert: 2}", "surge: {when: lab, factor: 1.94, share: 0.004}"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("formatted file lacks %q:\n%s", want, got)
		}
	}
	b, err := model.Parse("m.yaml", got)
	if err != nil || said(t, m) != said(t, b) {
		t.Errorf("the formatted file says something else: %v", err)
	}
}

// TestStrainRuleErrors: every bad value of the second-order rules is one
// error, on its line, with a hint.
func TestStrainRuleErrors(t *testing.T) {
	const m = "version: 1\norganisations:\n  - {id: a, kind: trust}\nservices:\n  - {id: blood, kind: stock, stock: {days: 6, alert: 2}}\n  - {id: lab, kind: pathology}\n"
	scenario := func(expect string) string {
		return m + "scenarios:\n  - {name: x, compromise: [lab], expect: {" + expect + "}}\n"
	}
	cases := []struct{ name, src, want string }{
		{"negative stock_alert_after", scenario("stock_alert_after: {blood: -3}"), `t.yaml:8:70: stock_alert_after for "blood" is -3, out of range (the fewest days from the attack before "blood" may cross its alert, from 0 to 3650)`},
		{"stock_alert_after too large", scenario("stock_alert_after: {blood: 4000}"), `t.yaml:8:70: stock_alert_after for "blood" is 4000, out of range`},
		{"stock_alert_after not a number", scenario("stock_alert_after: {blood: soon}"), `t.yaml:8:70: stock_alert_after for blood must be a number`},
		{"stock_alert_after unknown id", scenario("stock_alert_after: {bloood: 3}"), `t.yaml:8:63: stock_alert_after id "bloood": no such organisation or service (did you mean "blood"?)`},
		{"stock_alert_after not a stock", scenario("stock_alert_after: {lab: 3}"), `t.yaml:8:63: stock_alert_after: "lab" is not a stock (stock_alert_after names a service of kind stock with stock: {days, alert})`},
		{"stock_alert_after as a list", scenario("stock_alert_after: [blood]"), "t.yaml:8:62: stock_alert_after must be a mapping, not a list"},
		{"stock_alert_after id twice", scenario("stock_alert_after: {blood: 3, blood: 4}"), `t.yaml:8:73: duplicate key "blood" in stock_alert_after`},
		{"strains unknown id", scenario("strains: [aa]"), `t.yaml:8:53: expected strained id "aa": no such organisation or service (did you mean "a"?)`},
		{"strained and spared", scenario("strains: [a], spares: [a]"), `t.yaml:8:53: "a" is expected both strained and spared (spares means neither affected nor strained`},
		{"max_strained negative", m + "policies:\n  max_strained: -1\n", "t.yaml:8:17: max_strained -1 is out of range (use a value from 0 to"},
		{"max_strained fractional", m + "policies:\n  max_strained: 1.5\n", "t.yaml:8:17: max_strained must be a whole number, not 1.5 (write a whole number)"},
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
	// The same keys, good, parse.
	src := scenario("strains: [a], spares: [lab], stock_alert_after: {blood: 3}") + "policies:\n  max_strained: 4\n"
	got, err := model.Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	x := got.Scenarios[0].Expect
	if len(x.Strains) != 1 || x.Strains[0].Value != "a" || len(x.StockAlertAfter) != 1 || x.StockAlertAfter[0].ID.Value != "blood" || x.StockAlertAfter[0].Days != 3 {
		t.Errorf("expect: %+v", x)
	}
	if p := got.Policies; p == nil || p.MaxStrained == nil || *p.MaxStrained != 4 {
		t.Errorf("policies: %+v", p)
	}
}
