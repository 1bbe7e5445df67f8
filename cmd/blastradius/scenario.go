package main

import (
	"flag"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// withScenario looks up the scenario named by --scenario and returns it
// with the graph its assumptions give: g itself when it assumes nothing,
// else the model with every `assume` change made, built again. Every
// command that takes --scenario goes through here, so a scenario's
// assumptions mean the same to reach, rank, paths, chokepoints and render.
func withScenario(e *env, path string, m *model.Model, g *graph.Graph, name string) (*model.Scenario, *graph.Graph, bool) {
	s, ok := findScenario(e, path, m, name)
	if !ok {
		return nil, nil, false
	}
	if s.Assume.Empty() {
		return s, g, true
	}
	if g, ok = buildModel(e, path, m.Apply(s.Assume)); !ok {
		return nil, nil, false
	}
	return s, g, true
}

// given reports whether the flag was set on the command line.
func (f *flags) given(name string) bool {
	set := false
	f.Visit(func(fl *flag.Flag) { set = set || fl.Name == name })
	return set
}
