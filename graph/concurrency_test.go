package graph

import (
	"fmt"
	"sync"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// TestConcurrentUse runs every analysis on one Graph from many goroutines
// at once; under the race detector (go test -race) it shows the Graph is
// safe for concurrent use, and every goroutine must get the same answers.
func TestConcurrentUse(t *testing.T) {
	m, err := model.Load("../examples/synnovis-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	g, _ := Build(m)
	want, _ := g.Reach([]string{"synnovis-access"}, model.Ransomware)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			im, err := g.Reach([]string{"synnovis-access"}, model.Ransomware)
			if err != nil || im.Summary != want.Summary {
				errs <- fmt.Errorf("goroutine %d: reach %v %+v", i, err, im)
				return
			}
			if _, err := g.Rank(model.Modes[i%2], RankOptions{Workers: 2}); err != nil {
				errs <- err
			}
			if _, err := g.Chokepoints([]string{"synnovis"}, model.Ransomware, nil, 5); err != nil {
				errs <- err
			}
			if _, err := g.Paths("synnovis-access", "gstt", model.Ransomware, 3); err != nil {
				errs <- err
			}
			if _, err := g.NetworkGains(model.Ransomware, 3, 2, Options{Workers: 2}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestBuildRefusesBrokenModels(t *testing.T) {
	if _, err := Build(nil); err == nil {
		t.Error("nil model: no error")
	}
	if _, err := Build(&model.Model{Organisations: []*model.Node{nil}}); err == nil {
		t.Error("nil node: no error")
	}
	m := &model.Model{Organisations: []*model.Node{{ID: "a"}}, Dependencies: []*model.Dependency{{From: "a", To: "b", Type: model.Service}}}
	var u *UnknownIDError
	if _, err := Build(m); !asError(err, &u) || u.ID != "b" {
		t.Errorf("unknown id: %v", err)
	}
	if _, err := Build(&model.Model{Dependencies: []*model.Dependency{nil}}); err == nil {
		t.Error("nil dependency: no error")
	}
}
