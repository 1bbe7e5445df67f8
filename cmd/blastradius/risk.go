package main

import (
	"flag"
	"fmt"
	"github.com/blastradius/blastradius/internal/english"
	"io"
	"strconv"
	"strings"

	"github.com/blastradius/blastradius/graph"
)

// riskFlags are rank's --risk, --samples and --seed.
type riskFlags struct {
	risk *bool
	smp  *samplingFlags
}

func newRiskFlags(f *flags) *riskFlags {
	return &riskFlags{risk: f.Bool("risk", false, ""), smp: newSamplingFlags(f, graph.DefaultRiskSamples)}
}

// dispatch runs rank --risk if asked, and refuses --samples or --seed
// without it; done is false when plain rank should run.
func (r *riskFlags) dispatch(e *env, f *flags, sf *scenarioFlags, path string, top int, format string) (code int, done bool) {
	if *r.risk {
		return runRankRisk(e, f, r, sf, path, top, format), true
	}
	if riskSet(f) {
		return f.usageError(e, "--samples and --seed go with --risk"), true
	}
	return 0, false
}

// runRankRisk is rank --risk.
func runRankRisk(e *env, f *flags, r *riskFlags, sf *scenarioFlags, path string, top int, format string) int {
	if top < -1 {
		return f.usageError(e, "--top %d: use a number from 0 (all) up", top)
	}
	if code, ok := r.smp.check(e, f); !ok {
		return code
	}
	m, g, ok := build(e, path, f.limits)
	if !ok {
		return exitError
	}
	res, ok := sf.resolve(e, f, path, m, g)
	if !ok {
		return exitError
	}
	rk, err := analyse(e, "ranking risk", func(o graph.Options) (*graph.Risk, error) {
		return res.graph.RankRisk(res.mode, nil, graph.RiskOptions{Options: o, Samples: *r.smp.samples, Seed: *r.smp.seed})
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %v\n", err)
		return exitError
	}
	total := len(rk.Ranking)
	rk.Ranking = topOf(rk.Ranking, top, format)
	return emitResult(e, f, format, rk, func(w io.Writer) {
		if format == "csv" {
			writeRiskCSV(w, rk)
		} else {
			writeRiskText(w, rk, total)
		}
	})
}

// riskSet reports whether --samples or --seed was given.
func riskSet(f *flags) bool {
	set := false
	f.Visit(func(fl *flag.Flag) { set = set || fl.Name == "samples" || fl.Name == "seed" })
	return set
}

func writeRiskText(w io.Writer, rk *graph.Risk, total int) {
	fmt.Fprintf(w, "Risk of each node as the place an attack starts (%s)\n", rk.Mode)
	if rk.Model != "" {
		fmt.Fprintf(w, "Model: %s\n", rk.Model)
	}
	fmt.Fprintf(w, "Expected a year = entry × mean radius over %s worlds (seed %d); intervals are 95%%.\n\n", english.Commas(int64(rk.Samples)), rk.Seed)
	idw, kindw := len("id"), len("kind")
	assumed := false
	for _, r := range rk.Ranking {
		idw, kindw = max(idw, len(r.ID)), max(kindw, len(rankKind(r.RankEntry)))
		assumed = assumed || r.EntryAssumed
	}
	// A column for each sampled measure, as wide as its widest cell but
	// the last.
	sampled := graph.Sampled()
	heads := make([]string, len(sampled))
	width := make([]int, len(sampled))
	for k, m := range sampled {
		heads[k] = m.Info().Labels + " a year"
		width[k] = len(heads[k])
	}
	width[len(width)-1] = 0
	rows := make([][]string, len(rk.Ranking))
	for i, r := range rk.Ranking {
		for k, m := range sampled {
			x := r.ExpectedOf(m)
			rows[i] = append(rows[i], expectText(x.Mean, x.CI, r.Certain, m.Info().Whole))
			if k < len(sampled)-1 {
				width[k] = max(width[k], len(rows[i][k]))
			}
		}
	}
	columns := func(cells []string) string {
		var b strings.Builder
		for k, c := range cells {
			if k > 0 {
				b.WriteString("  ")
			}
			fmt.Fprintf(&b, "%-*s", width[k], c)
		}
		return b.String()
	}
	fmt.Fprintf(w, "%4s  %-*s  %-*s  %6s  %10s  %s\n", "#", idw, "id", kindw, "kind", "entry", "worst case", columns(heads))
	for i, r := range rk.Ranking {
		mark := " "
		if r.EntryAssumed {
			mark = "*"
		}
		fmt.Fprintf(w, "%4d  %-*s  %-*s  %5s%s  %10d  %s\n", i+1, idw, r.ID, kindw, rankKind(r.RankEntry), prob(r.Entry), mark, r.Organisations, columns(rows[i]))
	}
	if assumed {
		fmt.Fprintln(w, "\n* entry assumed from the kind, exposure and controls (docs/model.md, \"Where attacks start\"); give entry: in the model to replace it.")
	}
	if len(rk.Ranking) < total {
		fmt.Fprintf(w, "\nThe first %d of %d; --top 0 shows all.\n", len(rk.Ranking), total)
	}
}

// expectText writes an expectation with its interval, unless it is exact.
func expectText(x float64, iv graph.Interval, exact, whole bool) string {
	f := func(v float64) string {
		if whole {
			return english.Commas(int64(v + 0.5))
		}
		return strconv.FormatFloat(v, 'f', 3, 64)
	}
	if exact {
		return f(x)
	}
	return fmt.Sprintf("%s [%s, %s]", f(x), f(max(0, iv[0])), f(iv[1]))
}

func writeRiskCSV(w io.Writer, rk *graph.Risk) {
	cw := newCSVWriter(w)
	head := []string{"rank", "id", "name", "kind", "class", "entry", "entry_assumed", "organisations"}
	for _, m := range graph.Sampled() {
		k := "expected_" + m.Info().Key
		head = append(head, k, k+"_low", k+"_high")
	}
	cw.Write(head)
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	for i, r := range rk.Ranking {
		row := []string{strconv.Itoa(i + 1), r.ID, r.Name, r.Kind, string(r.Class), g(r.Entry), strconv.FormatBool(r.EntryAssumed), strconv.Itoa(r.Organisations)}
		for _, x := range r.Expected {
			row = append(row, g(x.Mean), g(x.CI[0]), g(x.CI[1]))
		}
		cw.Write(row)
	}
	cw.Flush()
}
