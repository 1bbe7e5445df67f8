package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"time"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

func rankCmd() *command {
	return &command{
		name:    "rank",
		summary: "every node as the seed, ranked by organisations and patients affected",
		usage: `Usage: blastradius rank MODEL [--mode M] [--top N] [--format text|json|csv]

Computes the blast radius of compromising each organisation and service
alone, exactly as "reach" would, and ranks them by organisations affected,
then patients, then id. Use it to find the single compromise that would hurt
most.

Flags:
  --mode M             ransomware (default) or exfiltration
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
  blastradius rank national.yaml --mode exfiltration --top 50
  blastradius rank national.yaml --format csv -o rank.csv
  blastradius rank examples/synnovis-2024.yaml --risk
`,
		run: runRank,
	}
}

func runRank(e *env, args []string) int {
	f := newFlags(rankCmd(), true, true)
	mode := f.mode()
	top := f.Int("top", -1, "")
	format := f.word("format", "text", "text", "json", "csv")
	risk := newRiskFlags(f)
	path, code, ok := f.parseModel(e, args)
	if !ok {
		return code
	}
	if code, done := risk.dispatch(e, f, path, model.Mode(*mode), *top, *format); done {
		return code
	}
	if *top < -1 {
		return f.usageError(e, "--top %d: use a number from 0 (all) up", *top)
	}
	_, g, ok := build(e, path, f.limits)
	if !ok {
		return exitError
	}
	ctx, stop := interruptible()
	defer stop()
	p := newProgress(e, "ranking")
	rk, err := g.Rank(model.Mode(*mode), graph.Options{Context: ctx, Progress: p.update})
	p.done()
	if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %v\n", err)
		return exitError
	}
	n := *top
	if n == -1 && *format == "text" {
		n = 20
	}
	if n > 0 && n < len(rk.Ranking) {
		rk.Ranking = rk.Ranking[:n]
	}
	var out bytes.Buffer
	switch *format {
	case "json":
		if err := writeJSON(&out, rk); err != nil {
			fmt.Fprintf(e.stderr, "blastradius: %v\n", err)
			return exitError
		}
	case "csv":
		writeRankCSV(&out, rk)
	default:
		writeRankText(&out, rk, g.Len())
	}
	return emit(e, f.out, out.Bytes(), exitOK)
}

func writeRankText(w io.Writer, rk *graph.Rank, total int) {
	fmt.Fprintf(w, "Blast radius of each single compromise (%s)\n", rk.Mode)
	if rk.Model != "" {
		fmt.Fprintf(w, "Model: %s\n", rk.Model)
	}
	fmt.Fprintln(w)
	idw, kindw := len("id"), len("kind")
	for _, r := range rk.Ranking {
		idw, kindw = max(idw, len(r.ID)), max(kindw, len(rankKind(r)))
	}
	fmt.Fprintf(w, "%4s  %-*s  %-*s  %13s  %12s  %11s  %9s  %8s  %7s\n", "#", idw, "id", kindw, "kind", "organisations", "patients", "compromised", "disrupted", "degraded", "exposed")
	for i, r := range rk.Ranking {
		fmt.Fprintf(w, "%4d  %-*s  %-*s  %13d  %12s  %11d  %9d  %8d  %7d\n", i+1, idw, r.ID, kindw, rankKind(r), r.Organisations, commas(r.Patients), r.Compromised, r.Disrupted, r.Degraded, r.Exposed)
	}
	if len(rk.Ranking) < total {
		fmt.Fprintf(w, "\nThe first %d of %d; --top 0 shows all.\n", len(rk.Ranking), total)
	}
}

func rankKind(r graph.RankEntry) string {
	if r.Class == model.ClassService {
		return r.Kind + " service"
	}
	return r.Kind
}

func writeRankCSV(w io.Writer, rk *graph.Rank) {
	cw := csv.NewWriter(w)
	cw.Write([]string{"rank", "id", "name", "kind", "class", "organisations", "patients", "compromised", "disrupted", "degraded", "exposed", "services"})
	for i, r := range rk.Ranking {
		cw.Write([]string{strconv.Itoa(i + 1), r.ID, r.Name, r.Kind, string(r.Class), strconv.Itoa(r.Organisations), strconv.FormatInt(r.Patients, 10),
			strconv.Itoa(r.Compromised), strconv.Itoa(r.Disrupted), strconv.Itoa(r.Degraded), strconv.Itoa(r.Exposed), strconv.Itoa(r.Services)})
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

// interruptible is a context that an interrupt (Ctrl-C) cancels, so that a
// long analysis stops cleanly and the command exits 2.
func interruptible() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

func newProgress(e *env, label string) *progress {
	p := &progress{w: e.stderr, label: label, start: time.Now()}
	if f, ok := e.stderr.(*os.File); ok {
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
	fmt.Fprintf(p.w, "\r%s: %d of %d analyses", p.label, done, total)
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
