package timeline

import (
	"math"

	"github.com/blastradius/blastradius/model"
)

// curve is how a compromised node comes back: its own capacity by day,
// before its providers' shortfall is counted. A node with no recovery
// stays at 0.
type curve struct {
	given bool
	// start is the day its restoration begins (0 unless crews are short);
	// before it the node is at 0.
	start int
	// days: 0 until this many days after start, 1 from then (a
	// recovery); used when points is empty.
	days   float64
	points []model.RestorePoint // a restore schedule, days after start
}

// curveOf is the curve the model gives node n. Its controls shorten a
// recovery (model.RecoveryFactor: offline or immutable backups); a restore
// schedule is what the file says happened, and is kept as written.
func curveOf(n *model.Node) curve {
	switch {
	case len(n.Restore) > 0:
		return curve{given: true, points: n.Restore}
	case n.Recovery != nil:
		return curve{given: true, days: n.Recovery.Likely * model.RecoveryFactor(n)}
	}
	return curve{}
}

// at is the curve's capacity on day t: a restore schedule is linear
// between its points, 0 before the first and 1 after the last.
func (c *curve) at(t int) float64 {
	if !c.given || t < c.start {
		return 0
	}
	d := t - c.start
	if len(c.points) == 0 {
		if float64(d) >= c.days {
			return 1
		}
		return 0
	}
	p := c.points
	if d < p[0].Day {
		return 0
	}
	last := p[len(p)-1]
	if d > last.Day {
		return 1
	}
	for k := 1; k < len(p); k++ {
		if d <= p[k].Day {
			a, b := p[k-1], p[k]
			if b.Day == a.Day {
				return b.Capacity
			}
			f := float64(d-a.Day) / float64(b.Day-a.Day)
			return clamp01(a.Capacity + f*(b.Capacity-a.Capacity))
		}
	}
	return clamp01(p[0].Capacity)
}

// turns appends the days after day 0 on which the curve changes.
func (c *curve) turns(place int32, out *[]turn) {
	if !c.given {
		return
	}
	if len(c.points) == 0 {
		if d := c.start + int(math.Max(0, math.Ceil(c.days))); d > 0 {
			*out = append(*out, turn{d, place})
		}
		return
	}
	from, to := c.start+c.points[0].Day, c.start+c.points[len(c.points)-1].Day+1
	for d := max(1, from); d <= to; d++ {
		*out = append(*out, turn{d, place})
	}
}

// full is the first day from which the curve is 1 for good, or +Inf.
func (c *curve) full() float64 {
	if !c.given {
		return math.Inf(1)
	}
	if len(c.points) == 0 {
		return float64(c.start) + math.Max(0, math.Ceil(c.days))
	}
	last := c.points[len(c.points)-1]
	d := last.Day + 1
	if last.Capacity >= 1 {
		d = last.Day
	}
	return float64(c.start + max(0, d))
}

// length is how many days the node takes to come back once its
// restoration begins: what a crew is busy for.
func (c *curve) length() int {
	s := c.start
	c.start = 0
	f := c.full()
	c.start = s
	if math.IsInf(f, 1) {
		return 0
	}
	return int(f)
}

func clamp01(x float64) float64 { return math.Min(1, math.Max(0, x)) }

// triangular returns the u-quantile of the triangular distribution of
// min a, mode b and max c.
func triangular(u, a, b, c float64) float64 {
	if c <= a {
		return b
	}
	f := (b - a) / (c - a)
	if u < f {
		return a + math.Sqrt(u*(c-a)*(b-a))
	}
	return c - math.Sqrt((1-u)*(c-a)*(c-b))
}
