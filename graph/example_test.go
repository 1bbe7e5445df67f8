package graph_test

import (
	"fmt"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

func ExampleGraph_Reach() {
	m, err := model.Parse("lab.yaml", []byte(`version: 1
organisations:
  - {id: lab-co, kind: supplier}
  - {id: trust, kind: trust, patients: 1000}
  - {id: clinic, kind: community}
services:
  - {id: lims, kind: pathology, operator: lab-co}
dependencies:
  - {from: trust, to: lims, type: service}
  - {from: trust, to: lims, type: data}
  - {from: clinic, to: lims, type: service, critical: false}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	g, _ := graph.Build(m)
	im, _ := g.Reach([]string{"lab-co"}, model.Ransomware)
	for _, a := range im.Affected {
		fmt.Println(a.ID, a.Impact, a.Effects, a.Path)
	}
	fmt.Printf("%+v\n", im.Summary)
	// Output:
	// lab-co compromised [compromised] [lab-co]
	// lims compromised [compromised] [lab-co lims]
	// trust disrupted [disrupted exposed] [lab-co lims trust]
	// clinic degraded [degraded] [lab-co lims clinic]
	// {Organisations:3 People:1000 Patients:1000 WithoutFigures:1 Compromised:1 Disrupted:1 Degraded:1 Exposed:1 Services:1}
}

// A Run asks what if, without rebuilding the graph: here, what if the trust
// had another pathology provider that stays up, and the data dependency
// (the model's second) did not hold.
func ExampleGraph_ReachWith() {
	m, err := model.Parse("lab.yaml", []byte(`version: 1
organisations:
  - {id: lab-co, kind: supplier}
  - {id: trust, kind: trust, patients: 1000}
services:
  - {id: lims, kind: pathology, operator: lab-co}
dependencies:
  - {from: trust, to: lims, type: service}
  - {from: trust, to: lims, type: data}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	g, _ := graph.Build(m)
	im, _ := g.ReachWith([]string{"lab-co"}, model.Ransomware, &graph.Run{
		Alternatives: []graph.Alternative{{Dependency: 0}},
		Mask:         []int{1},
	})
	for _, a := range im.Affected {
		fmt.Println(a.ID, a.Impact, a.Effects)
	}
	// Output:
	// lab-co compromised [compromised]
	// lims compromised [compromised]
	// trust degraded [degraded]
}
