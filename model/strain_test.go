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
