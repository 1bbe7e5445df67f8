package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"time"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/model"
)

func rankCmd() *command {
	return &command{
		name:    "rank",
		summary: "every node as the seed, ranked by organisations affected and people they serve",
		usage: `Usage: blastradius rank MODEL [--scenario NAME] [--mode M] [--top N] [--format text|json|csv]

Computes the blast radius of compromising each organisation and service
alone, exactly as "reach" would, and ranks them by organisations affected,
then the people they serve (each person counted once), then id. Use it to
find the single compromise that would hurt most. Services affected are
counted apart; --format json and csv also give the sum of the
organisations' own figures (patients), which overlap.

Flags:
  --scenario NAME      rank with a scenario's assumptions made, in its mode
                       (its seeds play no part); with --risk too
` + modeHelp + `
  --top N              show the first N (default: 20 in text, all in json
                       and csv; 0 means all)
  --format F           text (default), json or csv
  -o FILE              write the result to FILE, atomically
  --risk               rank by expected organisations affected a year instead:
                       entry likelihood × mean radius over sampled worlds
  --samples N          with --risk: worlds to draw (default 1000)
  --seed S             with --risk: chooses the worlds (default 1)

Exit codes: 0 done; 2 the model is invalid or a flag is wrong.

Examples:
  blastradius rank examples/synnovis-2024.yaml
  blastradius rank examples/synnovis-2024.yaml --scenario "MFA on the laboratory system"
  blastradius rank national.yaml --mode exfiltration --top 50
  blastradius rank national.yaml --format csv -o rank.csv
  blastradius rank examples/synnovis-2024.yaml --risk
`,
		run: runRank,
	}
}

func runRank(e *env, args []string) int {
	f := newFlags(rankCmd(), true, true)
	sf := newScenarioFlags(f, false)
	top := f.Int("top", -1, "")
	format := f.word("format", "text", "text", "json", "csv")
	risk := newRiskFlags(f)
	path, code, ok := f.parseModel(e, args)
	if !ok {
		return code
	}
	if code, done := risk.dispatch(e, f, sf, path, *top, *format); done {
		return code
	}
	if *top < -1 {
		return f.usageError(e, "--top %d: use a number from 0 (all) up", *top)
	}
	m, g, ok := build(e, path, f.limits)
	if !ok {
		return exitError
	}
	r, ok := sf.resolve(e, f, path, m, g)
	if !ok {
		return exitError
	}
	g, md := r.graph, r.mode
	rk, err := analyse(e, "ranking", func(o graph.Options) (*graph.Rank, error) { return g.Rank(md, o) })
	if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %v\n", err)
		return exitError
	}
	rk.Ranking = topOf(rk.Ranking, *top, *format)
	return emitResult(e, f, *format, rk, func(w io.Writer) {
		if *format == "csv" {
			writeRankCSV(w, rk)
		} else {
			writeRankText(w, rk, g.Len())
		}
	})
}

// topOf is the first top entries of a ranking: all for --top 0, and for
// the default (-1) the first 20 in text and all in JSON and CSV.
func topOf[T any](ranking []T, top int, format string) []T {
	if top == -1 && format == "text" {
		top = 20
	}
	if top > 0 && top < len(ranking) {
		return ranking[:top]
	}
	return ranking
}

func writeRankText(w io.Writer, rk *graph.Rank, total int) {
	fmt.Fprintf(w, "Blast radius of each single compromise (%s)\n", rk.Mode)
	if rk.Model != "" {
		fmt.Fprintf(w, "Model: %s\n", rk.Model)
	}
	fmt.Fprintln(w, "Organisations affected (compromised, disrupted, degraded, exposed: how many of them each effect")
	fmt.Fprintln(w, "reaches), the people they serve, each counted once, and services affected, counted apart.")
	fmt.Fprintln(w, "Largest first: organisations, then people, then id.")
	fmt.Fprintln(w)
	idw, kindw := len("id"), len("kind")
	for _, r := range rk.Ranking {
		idw, kindw = max(idw, len(r.ID)), max(kindw, len(rankKind(r)))
	}
	fmt.Fprintf(w, "%5s  %-*s  %-*s  %13s  %13s  %11s  %9s  %8s  %7s  %8s\n", "#", idw, "id", kindw, "kind", "organisations", "people ", "compromised", "disrupted", "degraded", "exposed", "services")
	c := english.Commas[int]
	partial := false
	for i, r := range rk.Ranking {
		people := english.Commas(r.People) + " "
		if r.WithoutFigures > 0 {
			people, partial = english.Commas(r.People)+"*", true
		}
		fmt.Fprintf(w, "%5s  %-*s  %-*s  %13s  %13s  %11s  %9s  %8s  %7s  %8s\n", c(i+1), idw, r.ID, kindw, rankKind(r), c(r.Organisations), people, c(r.Compromised), c(r.Disrupted), c(r.Degraded), c(r.Exposed), c(r.Services))
	}
	if partial {
		fmt.Fprintln(w, "\n* at least: some affected organisations give no figure, and people leaves them out.")
	}
	if notes := graph.PeopleNotesText(rk.PeopleNotes, 12); len(notes) > 0 {
		fmt.Fprintln(w, "\nWhere a radius reaches them, people is an estimate or unbounded:")
		for _, line := range notes {
			fmt.Fprintln(w, "  "+line)
		}
	}
	if len(rk.Ranking) < total {
		fmt.Fprintf(w, "\nThe first %s of %s; --top 0 shows all.\n", c(len(rk.Ranking)), c(total))
	}
}

func rankKind(r graph.RankEntry) string {
	if r.Class == model.ClassService {
		return r.Kind + " service"
	}
	return r.Kind
}

func writeRankCSV(w io.Writer, rk *graph.Rank) {
	cw := newCSVWriter(w)
	cw.Write([]string{"rank", "id", "name", "kind", "class", "organisations", "patients", "compromised", "disrupted", "degraded", "exposed", "services", "people"})
	for i, r := range rk.Ranking {
		cw.Write([]string{strconv.Itoa(i + 1), r.ID, r.Name, r.Kind, string(r.Class), strconv.Itoa(r.Organisations), strconv.FormatInt(r.Patients, 10),
			strconv.Itoa(r.Compromised), strconv.Itoa(r.Disrupted), strconv.Itoa(r.Degraded), strconv.Itoa(r.Exposed), strconv.Itoa(r.Services), strconv.FormatInt(r.People, 10)})
	}
	cw.Flush()
}

// progress reports a long analysis on standard error, only when standard
// error is a terminal and only after the first second.
type progress struct {
	mu    sync.Mutex // analyses report from several workers at once
	w     io.Writer
	label string
	start time.Time
	shown bool
	on    bool
}

// analyse runs a long analysis under a context that an interrupt (Ctrl-C)
// cancels, so that it stops cleanly and the command exits 2, and with a
// progress line labelled label on a terminal.
func analyse[T any](e *env, label string, run func(graph.Options) (T, error)) (T, error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	p := newProgress(e, label)
	defer p.done()
	out, err := run(graph.Options{Context: ctx, Progress: p.update})
	if err != nil && ctx.Err() != nil {
		err = errInterrupted
	}
	return out, err
}

// errInterrupted is what an analysis that Ctrl-C stopped says.
var errInterrupted = errors.New("interrupted (Ctrl-C): the analysis stopped and nothing was written")

func newProgress(e *env, label string) *progress {
	w := e.rawErr
	if w == nil {
		w = e.stderr
	}
	p := &progress{w: w, label: label, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

func (p *progress) update(done, total int) {
	if !p.on || time.Since(p.start) < time.Second {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.shown = true
	fmt.Fprintf(p.w, "\r%s: %s of %s analyses", p.label, english.Commas(done), english.Commas(total))
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
