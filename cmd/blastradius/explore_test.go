package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/blastradius/blastradius/explore"
	"github.com/blastradius/blastradius/model"
)

// The page and the report draw a scenario as "render --scenario --focus"
// does: the same DOT, so the same title, radius in words, "assuming:" line
// and what-if marks.
func TestExplorerDrawsAsRender(t *testing.T) {
	chdirRoot(t)
	files, _ := filepath.Glob("examples/*.yaml")
	for _, path := range append(files, "explore/testdata/every-assumption.yaml") {
		m, err := model.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		sess, err := explore.NewSession(path, m)
		if err != nil {
			t.Fatal(err)
		}
		for _, sc := range m.Scenarios {
			out := filepath.Join(t.TempDir(), "d.dot")
			var stderr bytes.Buffer
			if code := run([]string{"render", path, "--scenario", sc.Name, "--focus", "-o", out}, nil, &bytes.Buffer{}, &stderr); code != 0 {
				t.Fatalf("render: %s", stderr.String())
			}
			want, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			res, err := sess.Analyse(explore.Query{Scenario: sc.Name})
			if err != nil {
				t.Fatal(err)
			}
			got, err := sess.DOT(res, 0)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s, scenario %q: the explorer's drawing differs from render's:\n%s\nrender:\n%s", path, sc.Name, got, want)
			}
		}
	}
}
