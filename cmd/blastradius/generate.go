package main

import (
	"bytes"
	"fmt"

	"github.com/blastradius/blastradius/internal/synth"
)

func generateCmd() *command {
	return &command{
		name:    "generate",
		summary: "a synthetic national model for trials and benchmarks",
		usage: `Usage: blastradius generate [--scale N] [--seed S] [-o FILE]

Writes a synthetic model the size of the NHS in England: 42 ICBs, about 230
trusts (acute, mental health, community, ambulance), 6,300 GP practices, and
a long tail of 10,000 suppliers with their services, whose reach is as
concentrated as in life. Every relation type appears; controls are on a
realistic share of nodes. The same scale and seed give the same bytes. The
model is synthetic: it describes no real organisation.

Flags:
  --scale N   size, 1 for England (default 1); 10 is ten times bigger
  --seed S    random seed (default 1)
  --likelihoods  give most dependencies a likelihood below 1, for simulate,
              rank --risk and recommend (the model is otherwise the same)
  -o FILE     write to FILE, atomically (default standard output)

Examples:
  blastradius generate -o national.yaml
  blastradius generate --scale 10 --seed 7 -o national-x10.yaml
  blastradius generate | blastradius rank - --top 10
  blastradius generate --likelihoods -o national-risk.yaml
`,
		run: runGenerate,
	}
}

func runGenerate(e *env, args []string) int {
	f := newFlags(generateCmd(), false, true)
	scale := f.Int("scale", 1, "")
	seed := f.Uint64("seed", 1, "")
	likelihoods := f.Bool("likelihoods", false, "")
	pos, code, ok := f.parse(e, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return f.usageError(e, "unexpected argument %q (write the model with -o FILE)", pos[0])
	}
	if *scale < 1 || *scale > 100 {
		return f.usageError(e, "--scale %d: use 1 to 100", *scale)
	}
	var out bytes.Buffer
	st, err := synth.Generate(&out, synth.Options{Scale: *scale, Seed: *seed, Likelihoods: *likelihoods})
	if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %v\n", err)
		return exitError
	}
	if f.out != "" && f.out != "-" {
		fmt.Fprintf(e.stderr, "%s: %s, %s, %s; largest supplier %s\n", f.out, plural(st.Organisations, "organisation"), plural(st.Services, "service"), plural(st.Dependencies, "dependency"), st.LargestSupplier)
	}
	return emit(e, f.out, out.Bytes(), exitOK)
}
