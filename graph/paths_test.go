package graph

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/model"
)

func TestPathsAgreeWithReach(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	checked := 0
	for run := range 1500 {
		m := randomModel(r)
		g, _ := Build(m)
		nodes := m.Nodes()
		from, to := nodes[r.IntN(len(nodes))].ID, nodes[r.IntN(len(nodes))].ID
		if from == to {
			continue
		}
		mode := model.Modes[r.IntN(2)]
		ways, err := g.Paths(from, to, mode, 4)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := g.Paths(from, to, mode, 4)
		if !reflect.DeepEqual(ways, again) {
			t.Fatalf("run %d: two calls differ", run)
		}
		im, _ := g.Reach([]string{from}, mode)
		a := im.Of(to)
		if a != nil && len(ways) == 0 {
			t.Fatalf("run %d: %s reaches %s (%v) but Paths finds no way%s", run, from, to, a.Path, dump(m))
		}
		if a != nil {
			// Reach's path is a way; no way that holds without condition
			// is shorter.
			i := slices.IndexFunc(ways, func(w Way) bool { return w.Steps[len(w.Steps)-1].Effect == a.Impact })
			if i < 0 || len(ways[i].Steps) > len(a.Path) {
				t.Fatalf("run %d: Reach's path %v (%s) is shorter than the first way to that effect: %+v%s", run, a.Path, a.Impact, ways, dump(m))
			}
			for _, w := range ways {
				if w.Steps[len(w.Steps)-1].Effect == a.Impact && !w.Conditional && len(w.Steps) < len(a.Path) {
					t.Fatalf("run %d: Reach's path %v (%s) is longer than the way %+v%s", run, a.Path, a.Impact, w, dump(m))
				}
			}
		}
		for i, w := range ways {
			if i > 0 {
				p, end, pend := ways[i-1], w.Steps[len(w.Steps)-1].Effect, ways[i-1].Steps[len(ways[i-1].Steps)-1].Effect
				if c := cmp.Or(cmp.Compare(pend, end), cmp.Compare(len(p.Steps), len(w.Steps)), cmp.Compare(w.Likelihood, p.Likelihood)); c > 0 {
					t.Fatalf("run %d: ways out of order (severity, length, likelihood): %+v", run, ways)
				}
			}
			if w.Steps[0].ID != from || w.Steps[len(w.Steps)-1].ID != to {
				t.Fatalf("run %d: way %v does not run from %s to %s", run, w.Steps, from, to)
			}
			if !w.Conditional && a == nil {
				t.Fatalf("run %d: an unconditional way %+v to an unaffected node%s", run, w, dump(m))
			}
			phase := Compromised
			for j, s := range w.Steps {
				if s.Effect < phase || (j > 0 && (w.Steps[j-1].Effect == Degraded || w.Steps[j-1].Effect == Exposed)) {
					t.Fatalf("run %d: effects out of order in %+v", run, w.Steps)
				}
				phase = s.Effect
				if j == 0 {
					continue
				}
				for _, rel := range s.Relations {
					af := &Affected{ID: s.ID, Path: []string{w.Steps[j-1].ID, s.ID}, Via: []model.Relation{rel}}
					if err := checkPath(m, []string{w.Steps[j-1].ID}, af); err != nil {
						t.Fatalf("run %d: %v", run, err)
					}
				}
			}
			checked++
		}
	}
	if checked < 200 {
		t.Errorf("only %d ways checked", checked)
	}
}

func TestPathsErrors(t *testing.T) {
	g := parse(t, orgs4)
	for _, c := range [][2]string{{"a", "a"}, {"a", "zz"}} {
		if _, err := g.Paths(c[0], c[1], model.Ransomware, 3); err == nil {
			t.Errorf("%v: no error", c)
		}
	}
	if _, err := g.Paths("a", "b", model.Ransomware, 0); err == nil {
		t.Error("k 0: no error")
	}
	if ways, err := g.Paths("a", "b", model.Ransomware, 3); err != nil || len(ways) != 0 {
		t.Errorf("unconnected: %v %v", ways, err)
	}
}

func TestPathsFindsEveryWayUpToK(t *testing.T) {
	g := parse(t, `organisations:
  - {id: s, kind: supplier}
  - {id: a, kind: trust}
  - {id: b, kind: trust}
  - {id: t, kind: trust}
dependencies:
  - {from: t, to: s, type: data}
  - {from: t, to: s, type: service}
  - {from: a, to: s, type: service}
  - {from: t, to: a, type: service}
  - {from: b, to: s, type: access}
  - {from: t, to: b, type: hosting}
`)
	ways, err := g.Paths("s", "t", model.Ransomware, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range ways {
		s := ""
		for _, st := range w.Steps {
			s += st.ID + ":" + st.Effect.String() + " "
		}
		got = append(got, s)
	}
	want := []string{
		"s:compromised b:compromised t:compromised ", // hosting passes the compromise itself, not an outage or exposure
		"s:compromised t:disrupted ",
		"s:compromised a:disrupted t:disrupted ",
		"s:compromised t:exposed ",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ways:\n%q\nwant\n%q", got, want)
	}
	if ways, _ := g.Paths("s", "t", model.Ransomware, 2); len(ways) != 2 {
		t.Errorf("k=2 gave %d ways", len(ways))
	}
}

// TestPathsOrder checks the order of ways: by the severity of the effect
// at the end, then length, then likelihood, higher first.
func TestPathsOrder(t *testing.T) {
	for _, tc := range []struct {
		name, deps string
		k          int
		want       []string
	}{{
		name: "likelier first among ways of one length",
		deps: `  - {from: a, to: s, type: service, likelihood: 0.1}
  - {from: b, to: s, type: service, likelihood: 0.9}
  - {from: t, to: a, type: service}
  - {from: t, to: b, type: service}
`,
		k:    3,
		want: []string{"s b t 0.9", "s a t 0.1"},
	}, {
		name: "the k likeliest, even where ids would choose another",
		deps: `  - {from: a, to: s, type: service, likelihood: 0.1}
  - {from: b, to: s, type: service, likelihood: 0.9}
  - {from: t, to: a, type: service}
  - {from: t, to: b, type: service}
`,
		k:    1,
		want: []string{"s b t 0.9"},
	}, {
		name: "more severe before shorter",
		deps: `  - {from: t, to: s, type: data}
  - {from: a, to: s, type: access}
  - {from: t, to: a, type: access}
`,
		k:    3,
		want: []string{"s a t 1", "s t 1"},
	}, {
		name: "shorter before likelier",
		deps: `  - {from: t, to: s, type: service, likelihood: 0.2}
  - {from: a, to: s, type: service}
  - {from: t, to: a, type: service}
`,
		k:    3,
		want: []string{"s t 0.2", "s a t 1"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			g := parse(t, `organisations:
  - {id: s, kind: supplier}
  - {id: a, kind: trust}
  - {id: b, kind: trust}
  - {id: t, kind: trust}
dependencies:
`+tc.deps)
			ways, err := g.Paths("s", "t", model.Ransomware, tc.k)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range ways {
				var ids []string
				for _, st := range w.Steps {
					ids = append(ids, st.ID)
				}
				got = append(got, fmt.Sprintf("%s %g", strings.Join(ids, " "), w.Likelihood))
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ways %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPathsVisitEachNodeOnce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 99))
	for range 500 {
		m := randomModel(r)
		g, _ := Build(m)
		nodes := m.Nodes()
		from, to := nodes[0].ID, nodes[len(nodes)-1].ID
		if from == to {
			continue
		}
		ways, _ := g.Paths(from, to, model.Ransomware, 6)
		for _, w := range ways {
			if !simpleWay(w) {
				t.Fatalf("way visits a node twice: %+v", w.Steps)
			}
		}
	}
}
