package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/model"
)

func simulateCmd() *command {
	return &command{
		name:    "simulate",
		summary: "how likely each effect is when dependencies hold only with their likelihood",
		usage: `Usage: blastradius simulate MODEL --compromise ID[,ID...] [flags]
       blastradius simulate MODEL --scenario NAME [flags]

Draws worlds in which each dependency holds with its likelihood,
independently (a network link is one draw for both ways; an operator always
holds), runs the compromise in each, and reports for every node it can
reach the chance of each effect with a 95% interval, and the distribution
of organisations and people affected. With every likelihood 1 the answer is
that of "reach", with chances 0 or 1. The same seed gives the same output,
whatever the machine.

Flags:
  --compromise ID,...  the seeds: organisations or services the attacker controls
  --scenario NAME      run a scenario of the model file, with its assumptions
` + modeHelp + `
  --samples N          worlds to draw (default 10000); with --precision, the most
  --seed S             chooses the worlds (default 1)
  --precision E        stop after the first batch of 1000 worlds at which every
                       interval is narrower than ±E (such as 0.01)
  --exact              enumerate every world of the uncertain dependencies that
                       matter instead of sampling (at most 20 of them)
  --format text|json   how to print the result (default text)
  -o FILE              write the result to FILE, atomically

Exit codes: 0 done; 2 the model is invalid, an id is unknown, a flag is
wrong, or --exact meets more than 20 uncertain dependencies.

Examples:
  blastradius simulate examples/synnovis-2024.yaml --compromise synnovis-access
  blastradius simulate examples/synnovis-2024.yaml --scenario "Qilin ransomware, June 2024" --exact
  blastradius simulate national.yaml --compromise sup-00000 --precision 0.005 --format json
`,
		run: runSimulate,
	}
}

// samplingFlags are --samples and --seed.
type samplingFlags struct {
	samples *int
	seed    *uint64
}

func newSamplingFlags(f *flags, def int) *samplingFlags {
	return &samplingFlags{samples: f.Int("samples", def, ""), seed: f.Uint64("seed", 1, "")}
}

func (s *samplingFlags) check(e *env, f *flags) (int, bool) {
	if *s.samples < 1 {
		return f.usageError(e, "--samples %d: use a number of worlds from 1 up", *s.samples), false
	}
	return 0, true
}

type simulateJSON struct {
	Scenario string `json:"scenario,omitempty"`
	*graph.Simulation
}

// MarshalJSON writes the scenario first, then the simulation, which writes
// its own JSON (a distribution under each measure's key) and so would
// otherwise hide the scenario.
func (s simulateJSON) MarshalJSON() ([]byte, error) {
	b, err := s.Simulation.MarshalJSON()
	if err != nil || s.Scenario == "" {
		return b, err
	}
	var name bytes.Buffer
	enc := json.NewEncoder(&name)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s.Scenario); err != nil {
		return nil, err
	}
	return append([]byte(`{"scenario":`+strings.TrimSpace(name.String())+`,`), b[1:]...), nil
}

func runSimulate(e *env, args []string) int {
	f := newFlags(simulateCmd(), true, true)
	sf := newScenarioFlags(f, true)
	smp := newSamplingFlags(f, graph.DefaultSamples)
	precision := f.Float64("precision", 0, "")
	exact := f.Bool("exact", false, "")
	format := f.word("format", "text", "text", "json")
	path, code, ok := f.parseModel(e, args)
	if !ok {
		return code
	}
	if code, ok := sf.check(e, f, true); !ok {
		return code
	}
	if code, ok := smp.check(e, f); !ok {
		return code
	}
	switch {
	case *precision < 0 || *precision >= 0.5 || math.IsNaN(*precision):
		return f.usageError(e, "--precision %v: use a half-width above 0 and below 0.5, such as 0.01", *precision)
	case *exact && (f.given("samples") || f.given("precision") || f.given("seed")):
		return f.usageError(e, "--exact enumerates every world: leave out --samples, --seed and --precision")
	}
	samples := *smp.samples
	if *precision > 0 && !f.given("samples") {
		samples = 1_000_000
	}
	_, r, ok := sf.load(e, f, path)
	if !ok {
		return exitError
	}
	g, seeds, mode, name := r.graph, r.seeds, r.mode, r.name()
	sm, err := analyse(e, "simulating", func(o graph.Options) (*graph.Simulation, error) {
		return g.Simulate(seeds, mode, nil, graph.SimulateOptions{Options: o, Samples: samples, Seed: *smp.seed, Precision: *precision, Exact: *exact})
	})
	if err != nil {
		var tooMany *graph.TooUncertainError
		if errors.As(err, &tooMany) {
			fmt.Fprintf(e.stderr, "blastradius: %s: %v (leave out --exact to sample instead)\n", path, err)
			return exitError
		}
		return reachError(e, path, err)
	}
	return emitResult(e, f, *format, simulateJSON{name, sm}, func(w io.Writer) { writeSimulateText(w, name, sm) })
}

func writeSimulateText(w io.Writer, scenario string, sm *graph.Simulation) {
	title := fmt.Sprintf("Simulated compromise of %s (%s)", strings.Join(sm.Seeds, ", "), sm.Mode)
	if scenario != "" {
		title = fmt.Sprintf("Scenario %q, simulated: compromise of %s (%s)", scenario, strings.Join(sm.Seeds, ", "), sm.Mode)
	}
	fmt.Fprintln(w, title)
	if sm.Model != "" {
		fmt.Fprintf(w, "Model: %s\n", sm.Model)
	}
	deps := fmt.Sprintf("%d uncertain dependencies", sm.Uncertain)
	if sm.Uncertain == 1 {
		deps = "1 uncertain dependency"
	}
	if sm.Exact {
		fmt.Fprintf(w, "Exact: every one of %s worlds of the %s that can matter.\n", english.Commas(int64(sm.Samples)), deps)
	} else {
		fmt.Fprintf(w, "%s worlds drawn with seed %d; %s can matter. Intervals are 95%%.\n", english.Commas(int64(sm.Samples)), sm.Seed, deps)
	}
	fmt.Fprintln(w)
	for _, m := range graph.Sampled() {
		info := m.Info()
		label := strings.ToUpper(info.Labels[:1]) + info.Labels[1:] + " affected:"
		fmt.Fprintf(w, "%-23s %s\n", label, distributionText(sm.Of(m), sm.Exact, info.Whole))
	}
	if len(sm.Nodes) == 0 {
		return
	}
	fmt.Fprintln(w)
	idw, kindw := len("id"), len("kind")
	for _, n := range sm.Nodes {
		idw, kindw = max(idw, len(n.ID)), max(kindw, len(simKind(n)))
	}
	cw := 5
	if !sm.Exact {
		cw = 19
	}
	fmt.Fprintf(w, "%-*s  %-*s  %-*s  %11s  %9s  %8s  %7s\n", idw, "id", kindw, "kind", cw, "affected", "compromised", "disrupted", "degraded", "exposed")
	for _, n := range sm.Nodes {
		fmt.Fprintf(w, "%-*s  %-*s  %-*s  %11s  %9s  %8s  %7s\n", idw, n.ID, kindw, simKind(n), cw, chanceText(n.Affected, n.AffectedCI, sm.Exact),
			prob(n.Effects.Compromised), prob(n.Effects.Disrupted), prob(n.Effects.Degraded), prob(n.Effects.Exposed))
	}
}

func simKind(n graph.SimNode) string {
	if n.Class == model.ClassService {
		return n.Kind + " service"
	}
	return n.Kind
}

// prob writes a chance with three decimals.
func prob(p float64) string { return strconv.FormatFloat(p, 'f', 3, 64) }

func chanceText(p float64, iv graph.Interval, exact bool) string {
	if exact {
		return prob(p)
	}
	return fmt.Sprintf("%s [%s, %s]", prob(p), prob(iv[0]), prob(iv[1]))
}

// number writes a mean: whole numbers of people with commas, organisations
// with one decimal.
func number(x float64, whole bool) string {
	if whole {
		return english.Commas(int64(math.Round(x)))
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}

func distributionText(d graph.Distribution, exact, whole bool) string {
	mean := "mean " + number(d.Mean, whole)
	if !exact {
		mean += fmt.Sprintf(" [%s, %s]", number(d.MeanCI[0], whole), number(d.MeanCI[1], whole))
	}
	count := func(x float64) string { return english.Commas(int64(x)) }
	return fmt.Sprintf("%s; median %s, 90th percentile %s, at most %s", mean, count(d.P50), count(d.P90), count(d.Max))
}
