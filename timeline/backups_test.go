package timeline

import (
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// TestBackupsShortenRecovery: offline backups make a recovery of 20 days
// 14, immutable ones 10, both together the shorter; a restore schedule is
// kept as written.
func TestBackupsShortenRecovery(t *testing.T) {
	for _, tc := range []struct {
		controls string
		node     string
		back     int
	}{
		{"[]", "lab", 20},
		{"[offline-backups]", "lab", 14},
		{"[immutable-backups]", "lab", 10},
		{"[offline-backups, immutable-backups]", "lab", 10},
		{"[mfa, segmentation, patching]", "lab", 20},
		{"[immutable-backups]", "sched", 8},
	} {
		src := `version: 1
organisations:
  - {id: t, kind: trust}
services:
  - {id: lab, kind: pathology, recovery: 20, controls: ` + tc.controls + `}
  - {id: sched, kind: pathology, restore: [{day: 4, capacity: 0.5}, {day: 8, capacity: 1}], controls: ` + tc.controls + `}
dependencies:
  - {from: t, to: lab, type: service}
  - {from: t, to: sched, type: service}
`
		m, err := model.Parse("backups.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		g, err := graph.Build(m)
		if err != nil {
			t.Fatal(err)
		}
		tl, err := Compute(g, []string{tc.node}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got int = -1
		for _, n := range tl.Nodes {
			if n.ID == tc.node {
				for d, c := range n.Capacity {
					if c >= 1 {
						got = d
						break
					}
				}
			}
		}
		if got != tc.back {
			t.Errorf("%s with controls %s: back on day %d, want %d", tc.node, tc.controls, got, tc.back)
		}
	}
}
