package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/internal/synth"
)

func generateCmd() *command {
	return &command{
		name:    "generate",
		summary: "a synthetic national model for trials and benchmarks",
		usage: `Usage: blastradius generate [--scale N] [--seed S] [--icbs N] [--likelihoods] [--time] [--strain] [-o FILE | --split DIR]

Writes a synthetic model the size of the NHS in England: 42 ICBs, about 230
trusts (acute, mental health, community, ambulance), 6,300 GP practices, and
a long tail of 10,000 suppliers with their services, whose reach is as
concentrated as in life. Every relation type appears; controls are on a
realistic share of nodes. The same scale and seed give the same bytes. The
model is synthetic: it describes no real organisation.

With --split DIR the same model is written in many files, as an ICB may
keep its own: DIR/model.yaml includes one file per ICB, DIR/icbs/*.yaml,
and DIR/shared.yaml (national organisations, suppliers and their
services). Every analysis gives the same result on DIR/model.yaml as on
the model in one file.

Flags:
  --scale N    size, 1 for England (default 1); 10 is ten times bigger
  --seed S     random seed (default 1)
  --icbs N     make N ICBs instead of 42 × scale; suppliers, ambulance
               trusts and pathology networks scale with them
  --likelihoods
               give most dependencies a likelihood below 1, for simulate,
               rank --risk and recommend (the model is otherwise the same)
  --time       give nodes three-point recoveries, organisations activity
               per day and tolerances, and service dependencies shares and
               buffers, for timelines (the model is otherwise the same)
  --strain     add mutual aid (each pathology network helps the trusts of
               one half the country away from day 3, for 28 days) and a national
               blood stock the trusts draw on harder while their pathology
               is short; with --time, for the timeline's strain
  -o FILE      write to FILE, atomically (default standard output)
  --split DIR  write the model as many files in DIR, each atomically

Examples:
  blastradius generate -o national.yaml
  blastradius generate --scale 10 --seed 7 -o national-x10.yaml
  blastradius generate | blastradius rank - --top 10
  blastradius generate --split national && blastradius validate national/model.yaml
  blastradius generate --likelihoods -o national-risk.yaml
  blastradius generate --time -o national-time.yaml
  blastradius generate --time --strain -o national-strain.yaml
`,
		run: runGenerate,
	}
}

func runGenerate(e *env, args []string) int {
	f := newFlags(generateCmd(), false, true)
	scale := f.Int("scale", 1, "")
	seed := f.Uint64("seed", 1, "")
	icbs := f.Int("icbs", 0, "")
	split := f.String("split", "", "")
	likelihoods := f.Bool("likelihoods", false, "")
	strain := f.Bool("strain", false, "")
	withTime := f.Bool("time", false, "")
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
	if *icbs < 0 || *icbs > 10_000 {
		return f.usageError(e, "--icbs %d: use 1 to 10000", *icbs)
	}
	opt := synth.Options{Scale: *scale, Seed: *seed, ICBs: *icbs, Likelihoods: *likelihoods, Time: *withTime, Strain: *strain}
	if *split != "" {
		if f.out != "" {
			return f.usageError(e, "give -o FILE or --split DIR, not both")
		}
		return generateSplit(e, *split, opt)
	}
	var out bytes.Buffer
	st, err := synth.Generate(&out, opt)
	if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %v\n", err)
		return exitError
	}
	if f.out != "" && f.out != "-" {
		fmt.Fprintf(e.stderr, "%s: %s, %s, %s; largest supplier %s\n", f.out, english.Plural(st.Organisations, "organisation"), english.Plural(st.Services, "service"), english.Plural(st.Dependencies, "dependency"), st.LargestSupplier)
	}
	return emit(e, f.out, out.Bytes(), exitOK)
}

// generateSplit writes the model as files under dir: each file appears
// whole or not at all.
func generateSplit(e *env, dir string, opt synth.Options) int {
	files, st, err := synth.GenerateFiles(opt)
	if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %v\n", err)
		return exitError
	}
	for _, file := range files {
		path := filepath.Join(dir, filepath.FromSlash(file.Name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			fmt.Fprintf(e.stderr, "blastradius: %s: %v\n", filepath.Dir(path), err)
			return exitError
		}
		if err := writeFileAtomic(path, file.Data); err != nil {
			fmt.Fprintf(e.stderr, "blastradius: %s: %v\n", path, err)
			return exitError
		}
	}
	fmt.Fprintf(e.stderr, "%s: %s; %s, %s, %s; largest supplier %s\n", filepath.Join(dir, "model.yaml"), english.Plural(len(files), "file"),
		english.Plural(st.Organisations, "organisation"), english.Plural(st.Services, "service"), english.Plural(st.Dependencies, "dependency"), st.LargestSupplier)
	return exitOK
}
