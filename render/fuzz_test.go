package render

import (
	"strings"
	"testing"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// FuzzPNG: any bytes handed to the xdot painter give a picture or an
// error, never a panic.
func FuzzPNG(f *testing.F) {
	f.Add([]byte(`digraph { graph [bb="0,0,54,108", _draw_="c 7 -#000000 e 27 90 27 18 "]; a [_ldraw_="F 14 11 -Times-Roman c 7 -#000000 T 27 85.8 0 6.21 1 -a "]; a -> b [_draw_="S 6 -dashed B 4 27 71 27 64 27 55 27 47 "]; }`))
	f.Add([]byte(`digraph { graph [bb="0,0,10,10"]; n [_draw_="C 7 -#ff0000 P 3 0 0 10 0 5 10 "]; }`))
	f.Add([]byte(`digraph { graph [bb="0,0,1e9,1e9"]; }`))
	f.Add([]byte(`digraph { graph [bb="0,0,99,20", _ldraw_="F 9 9 -Helvetica t 1 c 7 -#000000 T 9 9 -1 40 5 -title S 9 -dashedxy L 2 0 0 9 9 "]; }`))
	f.Fuzz(func(t *testing.T, src []byte) {
		out, err := PNG(src, PNGOptions{MaxSide: 300})
		if err == nil && len(out) == 0 {
			t.Fatal("no error and no picture")
		}
		// PNG turns a panic into an error so that users never see one;
		// the fuzzer must still see it.
		if err != nil && strings.HasPrefix(err.Error(), "painting PNG: ") {
			t.Fatal(err)
		}
	})
}

// FuzzDOT: drawing any scenario of an example gives DOT that names every
// seed, whatever the options.
func FuzzDOT(f *testing.F) {
	m, err := model.Load("../examples/synnovis-2024.yaml")
	if err != nil {
		f.Fatal(err)
	}
	g, _ := graph.Build(m)
	f.Add(uint8(0), uint8(10), true)
	f.Add(uint8(3), uint8(200), false)
	f.Fuzz(func(t *testing.T, seed, max uint8, focus bool) {
		nodes := g.Nodes()
		n := nodes[int(seed)%len(nodes)]
		im, err := g.Reach([]string{n.ID}, model.Ransomware)
		if err != nil {
			t.Fatal(err)
		}
		d := DOT(g, Options{Impact: im, Focus: focus, MaxNodes: int(max)})
		if len(d.DOT) == 0 {
			t.Fatal("empty drawing")
		}
	})
}
