package timeline

import "github.com/blastradius/blastradius/model"

// Week adds up one week of a timeline's organisations: week 1 is days 0
// to 6.
type Week struct {
	Week    int    `json:"week"`
	FromDay int    `json:"from_day"`
	ToDay   int    `json:"to_day"`
	From    string `json:"from,omitempty"`
	To      string `json:"to,omitempty"`
	// Short and BelowHalf count the organisations below 1, and below
	// half, on some day of the week.
	Short           int                `json:"short"`
	BelowHalf       int                `json:"below_half"`
	ServiceDaysLost float64            `json:"service_days_lost"`
	ActivityLost    map[string]float64 `json:"activity_lost"`
}

// Weekly adds the timeline up week by week, into Weeks, and returns them.
func (tl *Timeline) Weekly() []*Week {
	tl.Weeks = []*Week{}
	for from := 0; from < tl.Horizon; from += 7 {
		to := min(from+6, tl.Horizon-1)
		w := &Week{Week: from/7 + 1, FromDay: from, ToDay: to, From: tl.Date(from), To: tl.Date(to), ActivityLost: map[string]float64{}}
		for _, n := range tl.Nodes {
			if n.Class != model.ClassOrganisation {
				continue
			}
			short, half, lost := false, false, 0.0
			for t := from; t <= to; t++ {
				c := n.Capacity[t]
				short = short || c < 1
				half = half || c < 0.5
				lost += 1 - c
			}
			if short {
				w.Short++
			}
			if half {
				w.BelowHalf++
			}
			w.ServiceDaysLost += lost
			for _, a := range n.activity {
				if lost > 0 {
					w.ActivityLost[a.Unit] += a.PerDay * lost
				}
			}
		}
		tl.Weeks = append(tl.Weeks, w)
	}
	return tl.Weeks
}
