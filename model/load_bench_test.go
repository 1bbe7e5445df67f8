package model_test

import (
	"testing"

	"github.com/blastradius/blastradius/internal/synth"
	"github.com/blastradius/blastradius/model"
)

// benchLoad parses a generated model, with every check, once per loop.
func benchLoad(b *testing.B, opt synth.Options) {
	src, _, err := synth.Shared(opt)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := model.Parse("national.yaml", src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad loads and validates the national model (scale 1, seed 1),
// plain and with the likelihoods and time data that generate adds.
func BenchmarkLoad(b *testing.B) {
	b.Run("national", func(b *testing.B) { benchLoad(b, synth.Options{Scale: 1, Seed: 1}) })
	b.Run("national-time-likelihoods", func(b *testing.B) {
		benchLoad(b, synth.Options{Scale: 1, Seed: 1, Time: true, Likelihoods: true})
	})
}

// BenchmarkLoadScale10 loads and validates the model ten times the national
// one: run it by name, it generates 156 MB first.
func BenchmarkLoadScale10(b *testing.B) { benchLoad(b, synth.Options{Scale: 10, Seed: 1}) }

// BenchmarkFormat formats the national model, which generate writes in the
// canonical layout already (what fmt --check does in CI), and the ICB one.
func BenchmarkFormat(b *testing.B) {
	for _, c := range []struct {
		name string
		opt  synth.Options
	}{
		{"icb", synth.Options{ICBs: 1, Scale: 1, Seed: 1, Time: true, Likelihoods: true, Strain: true}},
		{"national", synth.Options{Scale: 1, Seed: 1, Time: true, Likelihoods: true, Strain: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			src, _, err := synth.Shared(c.opt)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := model.Format(c.name+".yaml", src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
