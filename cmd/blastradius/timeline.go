package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/model"
	"github.com/blastradius/blastradius/timeline"
)

func timelineCmd() *command {
	return &command{
		name:    "timeline",
		summary: "how long a compromise lasts and how much work it costs, day by day",
		usage: `Usage: blastradius timeline MODEL --compromise ID[,ID...] [flags]
       blastradius timeline MODEL --scenario NAME [flags]

Follows the capacity of every node the compromise reaches, from 0 (it
delivers nothing) to 1 (normal), day by day from the attack (day 0): a
compromised node comes back as its recovery or restore schedule says,
and every other node loses the share of its work that needs a provider
short, a buffer's days later, or half of it where an alternative stands
in. For each organisation it prints the first day short, the days at 0
and below half, the day it is back, the service-days lost and the
activity lost in each unit the model gives; then per ICB and in total.
A compromised node with no recovery in the model stays at 0 to the
horizon, and the output says so. Where the model gives aid links and
stocks, it also lists who is strained (helpers that shed their own work,
their consumers, stocks below their alert and their consumers) and each
stock's level by day. A scenario's start date turns days
into dates. This is modelled capacity, not a clinical measure (see
docs/analyses.md).

Flags:
  --compromise ID,...  the seeds: organisations or services the attacker controls
  --scenario NAME      run a scenario of the model file, with its assumptions
` + modeHelp + `
  --horizon D          days to follow (day 0 to D-1); default until every
                       node is back, at most 365
  --start DATE         the date of day 0, YYYY-MM-DD (default the scenario's start)
  --by day|week        day (default): per organisation; week: also a table of
                       each week (week 1 is days 0 to 6)
  --crews K            restore at most K compromised nodes at once, in the
                       order that loses least: every order tried up to 7
                       nodes, a heuristic beyond
  --samples N          also draw N worlds: recoveries from their min, likely
                       and max, dependencies with their likelihoods; report
                       the median and 90th percentile of the day all is back
                       and of what is lost
  --seed S             chooses the worlds (default 1)
  --format F           text (default), json or csv
  -o FILE              write the result to FILE, atomically

Exit codes: 0 done; 2 the model is invalid, an id is unknown or a flag is
wrong.

Examples:
  blastradius timeline examples/synnovis-2024.yaml --scenario "Qilin ransomware, June 2024" --by week
  blastradius timeline examples/synnovis-2024.yaml --compromise synnovis --horizon 90 --format csv -o days.csv
  blastradius timeline national.yaml --compromise sup-00000 --crews 2 --samples 1000 --format json
`,
		run: runTimeline,
	}
}

func runTimeline(e *env, args []string) int {
	f := newFlags(timelineCmd(), true, true)
	sf := newScenarioFlags(f, true)
	horizon := f.Int("horizon", 0, "")
	start := f.String("start", "", "")
	by := f.word("by", "day", "day", "week")
	crews := f.Int("crews", 0, "")
	samples := f.Int("samples", 0, "")
	seed := f.Uint64("seed", 1, "")
	format := f.word("format", "text", "text", "json", "csv")
	path, code, ok := f.parseModel(e, args)
	if !ok {
		return code
	}
	if code, ok := sf.check(e, f, true); !ok {
		return code
	}
	switch {
	case *horizon < 0:
		return f.usageError(e, "--horizon %d: use a number of days from 1 up (0: until every node is back)", *horizon)
	case *crews < 0:
		return f.usageError(e, "--crews %d: use a number of crews from 1 up", *crews)
	case *samples < 0:
		return f.usageError(e, "--samples %d: use a number of worlds from 1 up", *samples)
	case f.given("seed") && *samples == 0:
		return f.usageError(e, "--seed chooses the worlds of --samples: give --samples too")
	}
	if *start != "" {
		if _, err := time.Parse(time.DateOnly, *start); err != nil {
			return f.usageError(e, "--start %q: use a date such as 2024-06-03", *start)
		}
	}
	m, r, ok := sf.load(e, f, path)
	if !ok {
		return exitError
	}
	g, seeds, mode, name := r.graph, r.seeds, r.mode, r.name()
	day0 := *start
	if s := m.Scenario(name); day0 == "" && name != "" && s != nil {
		day0 = s.Start
	}
	tl, err := timeline.Compute(g, seeds, timeline.Options{Mode: mode, Horizon: *horizon, Start: day0, Scenario: name, Crews: *crews})
	if err != nil {
		return reachError(e, path, err)
	}
	if *samples > 0 {
		_, err := analyse(e, "drawing worlds", func(o graph.Options) (struct{}, error) {
			return struct{}{}, tl.Sample(timeline.SampleOptions{Options: o, Samples: *samples, Seed: *seed})
		})
		if err != nil {
			return reachError(e, path, err)
		}
	}
	if *by == "week" {
		tl.Weekly()
	}
	var out bytes.Buffer
	switch *format {
	case "json":
		if err := writeJSON(&out, tl); err != nil {
			fmt.Fprintf(e.stderr, "blastradius: %v\n", err)
			return exitError
		}
	case "csv":
		if *by == "week" {
			writeWeeksCSV(&out, tl)
		} else {
			writeTimelineCSV(&out, tl)
		}
	default:
		writeTimelineText(&out, tl)
	}
	return emit(e, f.out, out.Bytes(), exitOK)
}

// dayText is day d as the text shows it: its date when the timeline has
// a start, else "day d".
func dayText(tl *timeline.Timeline, d int) string {
	if s := tl.Date(d); s != "" {
		return s
	}
	return "day " + strconv.Itoa(d)
}

func backText(tl *timeline.Timeline, back *int) string {
	if back == nil {
		return "not back"
	}
	return dayText(tl, *back)
}

// amount writes activity or service-days: whole numbers with commas from
// 100 up, one decimal below.
func amount(x float64) string {
	if math.Abs(x) >= 100 {
		return english.Commas(int64(math.Round(x)))
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}

// activityText lists the activity lost in each unit, in the order of units.
func activityText(units []string, lost map[string]float64) string {
	var parts []string
	for _, u := range units {
		if x, ok := lost[u]; ok && x > 0 {
			parts = append(parts, amount(x)+" "+u)
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

// table writes rows as columns padded to their widest cell; the last
// column is left unpadded.
func table(w io.Writer, rows [][]string) {
	if len(rows) == 0 {
		return
	}
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			if i == len(r)-1 {
				b.WriteString(c)
				break
			}
			b.WriteString(c + strings.Repeat(" ", width[i]-len([]rune(c))+2))
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func writeTimelineText(w io.Writer, tl *timeline.Timeline) {
	seeds := strings.Join(tl.Seeds, ", ")
	if tl.Scenario != "" {
		fmt.Fprintf(w, "Timeline of scenario %q: compromise of %s (%s)\n", tl.Scenario, seeds, tl.Mode)
	} else {
		fmt.Fprintf(w, "Timeline of a compromise of %s (%s)\n", seeds, tl.Mode)
	}
	if tl.Model != "" {
		fmt.Fprintf(w, "Model: %s\n", tl.Model)
	}
	if tl.Start != "" {
		fmt.Fprintf(w, "Day 0 is %s; %s followed, to %s.\n", tl.Start, english.Plural(tl.Horizon, "day"), tl.Date(tl.Horizon-1))
	} else {
		fmt.Fprintf(w, "Days from the attack (day 0); %s followed.\n", english.Plural(tl.Horizon, "day"))
	}
	switch len(tl.NoRecovery) {
	case 0:
	case 1:
		fmt.Fprintf(w, "No recovery was given for %s: it stays at 0 to the horizon (give it recovery or restore in the model).\n", tl.NoRecovery[0])
	default:
		fmt.Fprintf(w, "No recovery was given for %s: they stay at 0 to the horizon (give them recovery or restore in the model).\n", strings.Join(tl.NoRecovery, ", "))
	}
	fmt.Fprintln(w)
	if len(tl.Nodes) == 0 {
		fmt.Fprintln(w, "Nothing is short: every node stays at full capacity.")
		return
	}
	units := tl.Units()
	for _, class := range []model.Class{model.ClassOrganisation, model.ClassService} {
		rows := [][]string{{"id", "kind", "first short", "days at 0", "below half", "back", "service-days lost", "activity lost"}}
		for _, n := range tl.Nodes {
			if n.Class != class {
				continue
			}
			rows = append(rows, []string{n.ID, n.Kind, dayText(tl, n.FirstShort), strconv.Itoa(n.DaysAtZero), strconv.Itoa(n.DaysBelowHalf),
				backText(tl, n.Back), amount(n.ServiceDaysLost), activityText(units, n.ActivityLost)})
		}
		if len(rows) == 1 {
			continue
		}
		if class == model.ClassOrganisation {
			fmt.Fprintln(w, "Organisations")
		} else {
			fmt.Fprintln(w, "Services")
		}
		if class == model.ClassService || len(units) == 0 {
			for i := range rows {
				rows[i] = rows[i][:len(rows[i])-1] // no activity to show
			}
		}
		table(w, rows)
		fmt.Fprintln(w)
	}
	if len(tl.ICBs) > 0 {
		fmt.Fprintln(w, "By ICB")
		rows := [][]string{{"icb", "organisations", "service-days lost", "activity lost"}}
		for _, grp := range tl.ICBs {
			id := grp.ID
			if id == "" {
				id = "(no ICB)"
			}
			rows = append(rows, []string{id, strconv.Itoa(grp.Organisations), amount(grp.ServiceDaysLost), activityText(units, grp.ActivityLost)})
		}
		if len(units) == 0 {
			for i := range rows {
				rows[i] = rows[i][:len(rows[i])-1]
			}
		}
		table(w, rows)
		fmt.Fprintln(w)
	}
	t := tl.Totals
	fmt.Fprintf(w, "In total: %s short, %s service-days lost", english.Plural(t.Organisations, "organisation"), amount(t.ServiceDaysLost))
	if len(units) > 0 {
		fmt.Fprintf(w, "; activity lost: %s.\n", activityText(units, t.ActivityLost))
	} else {
		fmt.Fprintln(w, " (the model gives no activity to count).")
	}
	if t.Back != nil {
		fmt.Fprintf(w, "Every node is back to full capacity on %s.\n", dayText(tl, *t.Back))
	} else {
		fmt.Fprintf(w, "Not every node is back to full capacity within %s.\n", english.Plural(tl.Horizon, "day"))
	}
	writeStrainText(w, tl)
	if tl.Weeks != nil {
		fmt.Fprintln(w)
		writeWeeksText(w, tl, units)
	}
	if tl.Crews != nil {
		fmt.Fprintln(w)
		writeCrewsText(w, tl)
	}
	if tl.Samples != nil {
		fmt.Fprintln(w)
		writeSamplesText(w, tl, units)
	}
}

func writeWeeksText(w io.Writer, tl *timeline.Timeline, units []string) {
	fmt.Fprintln(w, "By week")
	rows := [][]string{{"week", "dates", "organisations short", "below half", "service-days lost", "activity lost"}}
	for _, wk := range tl.Weeks {
		dates := fmt.Sprintf("days %d–%d", wk.FromDay, wk.ToDay)
		if wk.From != "" {
			dates = wk.From + " – " + wk.To
		}
		rows = append(rows, []string{strconv.Itoa(wk.Week), dates, strconv.Itoa(wk.Short), strconv.Itoa(wk.BelowHalf), amount(wk.ServiceDaysLost), activityText(units, wk.ActivityLost)})
	}
	if len(units) == 0 {
		for i := range rows {
			rows[i] = rows[i][:len(rows[i])-1]
		}
	}
	table(w, rows)
}

func writeCrewsText(w io.Writer, tl *timeline.Timeline) {
	cr := tl.Crews
	how := map[string]string{
		"exact":       fmt.Sprintf("exact: every one of %s orders tried", english.Commas(cr.Orders)),
		"heuristic":   fmt.Sprintf("heuristic: more than %d nodes to order, so greedy by loss per day of restoration, then swaps of pairs; %s orders tried", timeline.MaxExactOrders, english.Commas(cr.Orders)),
		"all at once": "as many crews as nodes to restore: all at once",
	}[cr.Method]
	what := "activity lost, every unit added"
	if cr.Objective == "people" {
		what = "people-days lost (no organisation reached gives activity)"
	}
	if len(tl.RestoreOrder) == 0 {
		fmt.Fprintln(w, "Restore order: no compromised node has a recovery or restore schedule, so there is nothing to order.")
		return
	}
	fmt.Fprintf(w, "Restore order with %s (%s; it minimises %s)\n", english.Plural(cr.Crews, "crew"), how, what)
	rows := [][]string{{"", "id", "starts", "back"}}
	for i, r := range tl.RestoreOrder {
		rows = append(rows, []string{strconv.Itoa(i+1) + ".", r.ID, dayText(tl, r.Start), dayText(tl, r.Finish)})
	}
	table(w, rows)
	worst := "the worst order"
	if cr.Method == "heuristic" {
		worst = "the worst order tried"
	}
	fmt.Fprintf(w, "It loses %s; %s loses %s (saves %s); id order loses %s (saves %s).\n",
		amount(cr.Lost), worst, amount(cr.Worst), amount(cr.SavesVsWorst), amount(cr.IDOrder), amount(cr.SavesVsIDOrder))
}

func daysQuantile(d timeline.Days, horizon int) string {
	if math.IsInf(float64(d), 1) {
		return fmt.Sprintf("beyond day %d", horizon)
	}
	return "day " + strconv.Itoa(int(d))
}

func writeSamplesText(w io.Writer, tl *timeline.Timeline, units []string) {
	s := tl.Samples
	fmt.Fprintf(w, "Uncertainty: %s worlds drawn with seed %d (recoveries from their min, likely and max; dependencies with their likelihoods). Intervals are 95%%.\n",
		english.Commas(s.Samples), s.Seed)
	h := s.Horizon
	q := func(x timeline.Quantiles, f func(timeline.Days) string) string {
		return fmt.Sprintf("median %s [%s, %s]; 90th percentile %s [%s, %s]", f(x.P50), f(x.P50CI[0]), f(x.P50CI[1]), f(x.P90), f(x.P90CI[0]), f(x.P90CI[1]))
	}
	day := func(d timeline.Days) string { return daysQuantile(d, h-1) }
	num := func(d timeline.Days) string { return amount(float64(d)) }
	if s.NotBack == s.Samples {
		fmt.Fprintf(w, "Every node back:   in no world within %s", english.Plural(h, "day"))
	} else {
		fmt.Fprintf(w, "Every node back:   %s", q(s.Back, day))
	}
	if s.NotBack > 0 && s.NotBack < s.Samples {
		fmt.Fprintf(w, "; %s not back within the horizon", english.Plural(s.NotBack, "world"))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Service-days lost: %s\n", q(s.ServiceDaysLost, num))
	for _, u := range units {
		fmt.Fprintf(w, "%s lost: %s\n", u, q(s.ActivityLost[u], num))
	}
}

func formatFloat(x float64) string {
	return strconv.FormatFloat(math.Round(x*1e6)/1e6, 'f', -1, 64)
}

func optInt(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

// writeTimelineCSV writes one row per node: its figures, then its capacity
// on each day (headed by the day's date when there is a start).
func writeTimelineCSV(w io.Writer, tl *timeline.Timeline) {
	units := tl.Units()
	cw := csv.NewWriter(w)
	head := []string{"id", "name", "kind", "class", "icb", "first_short", "days_at_zero", "days_below_half", "back", "service_days_lost"}
	for _, u := range units {
		head = append(head, "activity_lost:"+u)
	}
	head = append(head, strainColumns(tl)...)
	for d := range tl.Horizon {
		if s := tl.Date(d); s != "" {
			head = append(head, s)
		} else {
			head = append(head, "day "+strconv.Itoa(d))
		}
	}
	cw.Write(head)
	for _, n := range tl.Nodes {
		row := []string{n.ID, n.Name, n.Kind, string(n.Class), n.ICB, strconv.Itoa(n.FirstShort), strconv.Itoa(n.DaysAtZero), strconv.Itoa(n.DaysBelowHalf),
			optInt(n.Back), formatFloat(n.ServiceDaysLost)}
		for _, u := range units {
			row = append(row, formatFloat(n.ActivityLost[u]))
		}
		row = append(row, strainCells(tl, n.ID)...)
		for _, c := range n.Capacity {
			row = append(row, formatFloat(c))
		}
		cw.Write(row)
	}
	cw.WriteAll(strainRows(tl, units))
	cw.Flush()
}

// writeWeeksCSV writes one row per week.
func writeWeeksCSV(w io.Writer, tl *timeline.Timeline) {
	units := tl.Units()
	cw := csv.NewWriter(w)
	head := []string{"week", "from_day", "to_day", "from", "to", "organisations_short", "below_half", "service_days_lost"}
	for _, u := range units {
		head = append(head, "activity_lost:"+u)
	}
	cw.Write(head)
	for _, wk := range tl.Weeks {
		row := []string{strconv.Itoa(wk.Week), strconv.Itoa(wk.FromDay), strconv.Itoa(wk.ToDay), wk.From, wk.To, strconv.Itoa(wk.Short), strconv.Itoa(wk.BelowHalf), formatFloat(wk.ServiceDaysLost)}
		for _, u := range units {
			row = append(row, formatFloat(wk.ActivityLost[u]))
		}
		cw.Write(row)
	}
	cw.Flush()
}
