package render

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAdvanceDash checks the shortcut that moves a dash pattern along a
// length against walking it one dash at a time.
func TestAdvanceDash(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		pattern := []float64{1 + r.Float64()*5, 1 + r.Float64()*5, 1 + r.Float64()*5}[:1+r.IntN(3)]
		a := &painter{dash: pattern, scale: 1 + r.Float64()}
		a.dashLeft, a.dashOn = pattern[0]*a.scale, true
		b := *a
		d := r.Float64() * 200
		a.advanceDash(d)
		for left := d; left > 0; { // the slow way
			step := math.Min(b.dashLeft, left)
			left -= step
			b.dashLeft -= step
			if b.dashLeft <= 1e-9 && left > 0 {
				b.nextDash()
			}
		}
		if a.dashIdx != b.dashIdx || a.dashOn != b.dashOn || math.Abs(a.dashLeft-b.dashLeft) > 1e-6 {
			t.Fatalf("case %d: pattern %v, scale %g, along %g: got (%d, %v, %g), want (%d, %v, %g)",
				i, pattern, a.scale, d, a.dashIdx, a.dashOn, a.dashLeft, b.dashIdx, b.dashOn, b.dashLeft)
		}
	}
}

// TestClipSegment checks the parameters of the part of a segment inside a
// rectangle.
func TestClipSegment(t *testing.T) {
	for _, c := range []struct {
		ax, ay, bx, by float64
		t0, t1         float64
		ok             bool
	}{
		{-10, 5, 20, 5, 1.0 / 3, 2.0 / 3, true},
		{2, 2, 8, 8, 0, 1, true},
		{-5, -5, -1, -1, 0, 0, false},
		{5, -10, 5, 1e9, 10.0 / (1e9 + 10), 20.0 / (1e9 + 10), true},
	} {
		t0, t1, ok := clipSegment(c.ax, c.ay, c.bx, c.by, 0, 0, 10, 10)
		if ok != c.ok || ok && (math.Abs(t0-c.t0) > 1e-12 || math.Abs(t1-c.t1) > 1e-12) {
			t.Errorf("clip (%g,%g)-(%g,%g) = %g, %g, %v; want %g, %g, %v", c.ax, c.ay, c.bx, c.by, t0, t1, ok, c.t0, c.t1, c.ok)
		}
	}
}
