package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
	"github.com/blastradius/blastradius/timeline"
)

// TestTimelineScripts runs the whole-CLI cases of timeline alone (they
// are among TestScripts' too).
func TestTimelineScripts(t *testing.T) { runScripts(t, "testdata/script/timeline-*.txt") }

// timeModel is a model with time data, written in code: two labs, the
// trusts and GP practices that need them, activity, shares, a buffer and
// an alternative.
func timeModel() *model.Model {
	share := func(x float64) *float64 { return &x }
	org := func(id, kind, icb string, act ...model.Activity) *model.Node {
		return &model.Node{ID: id, Name: id, Class: model.ClassOrganisation, Kind: kind, ICB: icb, Activity: act}
	}
	lab := org("lab", "supplier", "")
	lab.Recovery = &model.Recovery{Min: 10, Likely: 20, Max: 40}
	lims := &model.Node{ID: "lims", Name: "lims", Class: model.ClassService, Kind: "pathology", Operator: "lab",
		Restore: []model.RestorePoint{{Day: 0, Capacity: 0.1}, {Day: 7, Capacity: 0.3}, {Day: 14, Capacity: 0.6}, {Day: 21, Capacity: 1}}}
	small := org("small-lab", "supplier", "")
	small.Recovery = &model.Recovery{Min: 3, Likely: 5, Max: 9}
	m := &model.Model{Name: "time", Organisations: []*model.Node{
		org("icb", "icb", ""), lab, small,
		org("gstt", "trust", "icb", model.Activity{Unit: "outpatient-appointments", PerDay: 1000}, model.Activity{Unit: "elective-procedures", PerDay: 120}),
		org("kch", "trust", "icb", model.Activity{Unit: "outpatient-appointments", PerDay: 800}),
		org("gp-lambeth", "gp-practice", "icb", model.Activity{Unit: "blood-tests", PerDay: 900}),
		org("other", "trust", "", model.Activity{Unit: "outpatient-appointments", PerDay: 300}),
	}, Services: []*model.Node{lims}}
	dep := func(from, to string, s *float64, buffer int, alts ...string) {
		m.Dependencies = append(m.Dependencies, &model.Dependency{From: from, To: to, Type: model.Service, Critical: true, Likelihood: 1, Share: s, Buffer: buffer, Alternatives: alts})
	}
	dep("gstt", "lims", share(0.3), 1)
	dep("kch", "lims", share(0.25), 0)
	dep("gp-lambeth", "lims", nil, 2, "other")
	dep("other", "small-lab", share(0.5), 0)
	return m
}

// TestTimelineText: the text of a timeline with activity, weeks, crews and
// samples, against its golden file.
func TestTimelineText(t *testing.T) {
	g, err := graph.Build(timeModel())
	if err != nil {
		t.Fatal(err)
	}
	tl, err := timeline.Compute(g, []string{"lab", "small-lab"}, timeline.Options{Start: "2024-06-03", Scenario: "labs", Crews: 1})
	if err != nil {
		t.Fatal(err)
	}
	tl.Weekly()
	if err := tl.Sample(timeline.SampleOptions{Samples: 200, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	writeTimelineText(&b, tl)
	b.WriteString("\n-- csv --\n")
	writeTimelineCSV(&b, tl)
	b.WriteString("\n-- weeks csv --\n")
	writeWeeksCSV(&b, tl)
	golden := "testdata/timeline-text.golden"
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/blastradius -run TestTimelineText -update)", err)
	}
	if b.String() != string(want) {
		t.Errorf("text differs:\n%s", diff(string(want), b.String()))
	}
}
