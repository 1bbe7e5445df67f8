package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/timeline"
)

// writeStrainText writes who is strained and how each stock runs down,
// for a model with aid links or stocks that the compromise draws in.
func writeStrainText(w io.Writer, tl *timeline.Timeline) {
	if tl.Strained == nil && tl.Stocks == nil {
		return
	}
	fmt.Fprintln(w)
	if len(tl.Strained) == 0 {
		fmt.Fprintln(w, "Strained: nobody (no helper sheds its own work, no stock falls below its alert).")
	} else {
		fmt.Fprintln(w, "Strained (working under restrictions: helping others at a cost to their own work, or short of a shared stock)")
		rows := [][]string{{"id", "kind", "from", "to", "days", "by"}}
		for _, s := range tl.Strained {
			until := "the horizon" // the last day strained, "to" inclusive
			if s.Until != nil {
				until = dayText(tl, *s.Until-1)
			}
			rows = append(rows, []string{s.ID, s.Kind, dayText(tl, s.From), until, strconv.Itoa(s.Days), strings.Join(s.By, ", ")})
		}
		table(w, rows)
		if n := tl.Totals.Strained; n > 0 {
			fmt.Fprintf(w, "%s strained, serving at least %s (each counted once).\n", english.Plural(n, "organisation"), english.Plural(tl.Totals.StrainedPeople, "person"))
		}
	}
	for _, s := range tl.Stocks {
		fmt.Fprintln(w)
		low, lowDay := s.Days, 0
		for d, l := range s.Level {
			if l < low {
				low, lowDay = l, d
			}
		}
		fmt.Fprintf(w, "Stock %s: %s days held, alert below %s; lowest %s days on %s", s.ID, formatFloat(s.Days), formatFloat(s.Alert), strconv.FormatFloat(low, 'f', 1, 64), dayText(tl, lowDay))
		if s.AlertDay != nil {
			fmt.Fprintf(w, "; below the alert from %s.\n", dayText(tl, *s.AlertDay))
		} else {
			fmt.Fprintf(w, "; not below the alert within %s.\n", english.Plural(tl.Horizon, "day"))
		}
	}
}

// strainColumns are the CSV's columns of strain, present only when the
// timeline has them.
func strainColumns(tl *timeline.Timeline) []string {
	if tl.Strained == nil {
		return nil
	}
	return []string{"strained_from", "strained_days"}
}

// strainCells are a node's cells of strainColumns.
func strainCells(tl *timeline.Timeline, id string) []string {
	if tl.Strained == nil {
		return nil
	}
	for _, s := range tl.Strained {
		if s.ID == id {
			return []string{strconv.Itoa(s.From), strconv.Itoa(s.Days)}
		}
	}
	return []string{"", ""}
}

// strainRows are the CSV's rows after the nodes short: each node strained
// but never short, then each stock's level by day (class "stock level").
func strainRows(tl *timeline.Timeline, units []string) [][]string {
	var rows [][]string
	blank := func(n int) []string { return make([]string, n) }
	for _, s := range tl.Strained {
		if tl.Of(s.ID) != nil {
			continue
		}
		row := []string{s.ID, s.Name, s.Kind, string(s.Class), s.ICB, "", "0", "0", "", "0"}
		row = append(row, blank(len(units))...)
		row = append(row, strainCells(tl, s.ID)...)
		for range tl.Horizon {
			row = append(row, "1")
		}
		rows = append(rows, row)
	}
	for _, s := range tl.Stocks {
		row := []string{s.ID, s.Name, "stock", "stock level", "", "", "", "", "", ""}
		row = append(row, blank(len(units))...)
		row = append(row, strainCells(tl, s.ID)...)
		for _, l := range s.Level {
			row = append(row, formatFloat(l))
		}
		rows = append(rows, row)
	}
	return rows
}
