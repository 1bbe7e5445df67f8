package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/model"
)

func pathsCmd() *command {
	return &command{
		name:    "paths",
		summary: "the k shortest ways an effect travels from one node to another",
		usage: `Usage: blastradius paths MODEL --from X --to Y [--k N] [--scenario NAME] [--mode M] [--format text|json]

Lists up to N shortest ways an effect of compromising X can reach Y, each
step with the effect it has there and the relation it crosses. Arrows point
the way the effect spreads: in a → b, b depends on a (or a runs b). A way is a
run of compromise steps, then outage steps (ransomware only), then at most
one step that degrades or exposes. A way that crosses a critical
dependency with alternatives says so: "mch is disrupted only if
paper-requests is down too" (the outage passes only if every alternative
is down as well). Ways are listed by the effect at Y, most severe first, then
by length, then by likelihood, higher first.

Flags:
  --from X             the compromised node (with --scenario: by default its
                       seed, if it has one)
  --to Y               the node reached
  --k N                how many ways (default 3)
  --scenario NAME      with a scenario's assumptions made, in its mode
` + modeHelp + `
  --format text|json   how to print the result (default text)
  -o FILE              write the result to FILE, atomically

Exit codes: 0 done (also when there is no way); 2 the model is invalid, an
id is unknown, or a flag is wrong.

Examples:
  blastradius paths examples/synnovis-2024.yaml --from synnovis-access --to gstt
  blastradius paths examples/alder-hey-gateway-2024.yaml --from digital-gateway --to luh --mode exfiltration
  blastradius paths examples/synnovis-2024.yaml --scenario "MFA on the laboratory system" --to gstt
`,
		run: runPaths,
	}
}

type pathsJSON struct {
	Model string      `json:"model"`
	From  string      `json:"from"`
	To    string      `json:"to"`
	Mode  model.Mode  `json:"mode"`
	Ways  []graph.Way `json:"ways"`
}

func runPaths(e *env, args []string) int {
	f := newFlags(pathsCmd(), true, true)
	from := f.String("from", "", "")
	to := f.String("to", "", "")
	k := f.Int("k", 3, "")
	sf := newScenarioFlags(f, false)
	scenario := sf.scenario
	format := f.word("format", "text", "text", "json")
	path, code, ok := f.parseModel(e, args)
	if !ok {
		return code
	}
	switch {
	case *to == "" || (*from == "" && *scenario == ""):
		return f.usageError(e, "name both ends with --from X --to Y")
	case *k < 1 || *k > 1000:
		return f.usageError(e, "--k %d: use 1 to 1000", *k)
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
	if s := r.scenario; s != nil {
		if seeds := s.Seeds(); *from == "" && len(seeds) == 1 {
			*from = seeds[0]
		} else if *from == "" {
			return f.usageError(e, "scenario %q has %d seeds: name one with --from X", s.Name, len(seeds))
		}
	}
	ways, err := g.Paths(*from, *to, md, *k)
	if err != nil {
		if _, unknown := err.(*graph.UnknownIDError); *from == *to && !unknown {
			err = fmt.Errorf("--from and --to name the same node %q", *from)
		}
		return reachError(e, path, err)
	}
	res := pathsJSON{Model: m.Name, From: *from, To: *to, Mode: md, Ways: ways}
	return emitResult(e, f, *format, res, func(w io.Writer) { writePaths(w, res) })
}

func writePaths(w io.Writer, r pathsJSON) {
	fmt.Fprintf(w, "Ways an effect travels from %s to %s (%s)\n", r.From, r.To, r.Mode)
	if r.Model != "" {
		fmt.Fprintf(w, "Model: %s\n", r.Model)
	}
	if len(r.Ways) == 0 {
		fmt.Fprintf(w, "\nNone: no compromise of %s can reach %s in this mode.\n", r.From, r.To)
		return
	}
	fmt.Fprintln(w, spreadNote)
	for i, way := range r.Ways {
		var b strings.Builder
		var rels []string
		for j, s := range way.Steps {
			if j > 0 {
				b.WriteString(" → ")
				rels = append(rels, strings.Join(relNames(s.Relations), " or "))
			}
			fmt.Fprintf(&b, "%s [%s]", s.ID, s.Effect)
		}
		fmt.Fprintf(&b, " (%s)", strings.Join(rels, ", "))
		note := ""
		if way.Likelihood < 1 {
			note = fmt.Sprintf(", likelihood %.3g", way.Likelihood)
		}
		if way.Conditional {
			verb := "is"
			if len(way.Unless()) > 1 {
				verb = "are"
			}
			last := way.Steps[len(way.Steps)-1]
			note += fmt.Sprintf(": %s is %s only if %s %s down too", last.ID, last.Effect, english.And(way.Unless()), verb)
		}
		fmt.Fprintf(w, "\n%s. %s%s\n   %s\n", english.Commas(i+1), english.Plural(len(way.Steps)-1, "step"), note, b.String())
	}
}

func relNames(rs []model.Relation) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}
