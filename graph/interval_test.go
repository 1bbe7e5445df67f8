package graph

import "testing"

// TestCountIntervalsNeverNegative: a count seen once in many worlds has a
// normal-approximation interval whose low end would fall below 0; the
// interval of a count never does.
func TestCountIntervalsNeverNegative(t *testing.T) {
	x := make([]float64, 1000)
	x[0] = 5
	mean := 5.0 / 1000
	iv := meanCI(x, mean)
	if iv[0] != 0 || iv[1] <= mean {
		t.Errorf("meanCI = %v, want [0, above %g]", iv, mean)
	}
	var r running
	for _, v := range x {
		r.add(v)
	}
	if raw := r.ci(); raw[0] >= 0 {
		t.Fatalf("the raw interval %v should fall below 0 here, or the test tests nothing", raw)
	}
	if _, iv := r.scaled(0.5); iv[0] != 0 {
		t.Errorf("scaled interval %v, want a low end of 0", iv)
	}
}
