package render_test

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/blastradius/blastradius/render"
)

// A timeline is filled from an analysis of capacity over time: a row for
// each organisation that falls below full, and what is lost each week.
func ExampleWriteTimelineSVG() {
	t := &render.Timeline{
		Title: "Qilin ransomware, June 2024",
		Start: time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC),
		Days:  14,
		Rows: []render.TimelineRow{
			{ID: "gstt", Name: "Guy's and St Thomas'", Group: "South East London ICB",
				Capacity: []float64{0.6, 0.6, 0.7, 0.7, 0.8, 0.9, 1}},
			{ID: "kch", Name: "King's College Hospital", Group: "South East London ICB",
				Capacity: []float64{1, 0.5, 0.5, 0.6, 0.8, 0.9, 0.95, 1}},
		},
		Weekly: []render.TimelineWeek{{Week: 1, Lost: map[string]float64{"outpatient-appointments": 860}}},
	}
	var b bytes.Buffer
	if err := render.WriteTimelineSVG(&b, t); err != nil {
		fmt.Println(err)
		return
	}
	svg := b.String()
	fmt.Println(strings.Count(svg, `<g class="row"`), "rows,", strings.Count(svg, `<rect x=`), "cells")
	for _, line := range strings.Split(svg, "\n") {
		if strings.HasPrefix(line, "<desc>") || strings.Contains(line, `class="chart-title"`) {
			fmt.Println(line[strings.Index(line, ">")+1 : strings.LastIndex(line, "<")])
		}
	}
	// Output:
	// 2 rows, 28 cells
	// 2 organisations lose capacity over 14 days from the attack, 3 Jun 2024.
	// outpatient appointments lost each week (860 in all)
}
