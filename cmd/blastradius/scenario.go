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
	if g, ok = buildModel(e, path, m.Apply(s.Assume.Changes())); !ok {
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

// scenarioFlags are --scenario and --mode, and --compromise for the
// commands that take seeds: one set for every command that takes a
// scenario, so that each reads them by one rule. --scenario and
// --compromise exclude each other; --scenario gives the seeds, the
// assumptions and the mode, and --mode beside it overrides the mode.
type scenarioFlags struct {
	seeds    listFlag
	scenario *string
	mode     *string
	// compromise says whether the command takes --compromise.
	compromise bool
}

// newScenarioFlags defines the flags; compromise says whether the command
// takes --compromise.
func newScenarioFlags(f *flags, compromise bool) *scenarioFlags {
	s := &scenarioFlags{compromise: compromise}
	if compromise {
		f.Var(&s.seeds, "compromise", "")
	}
	s.scenario = f.String("scenario", "", "")
	s.mode = f.mode()
	return s
}

// modeHelp is --mode's line of every --help that takes a scenario.
const modeHelp = `  --mode M             ransomware (default) or exfiltration; beside --scenario
                       it overrides the scenario's mode`

// check reports a usage error, if any, after parsing; need says whether a
// compromise must be named.
func (s *scenarioFlags) check(e *env, f *flags, need bool) (int, bool) {
	switch {
	case *s.scenario != "" && f.given("compromise"):
		return f.usageError(e, "give --compromise or --scenario, not both"), false
	case need && *s.scenario == "" && len(s.seeds) == 0:
		return f.usageError(e, "name what is compromised with --compromise ID[,ID...], or run a --scenario"), false
	}
	return 0, true
}

// given reports whether a compromise is named, by --compromise or
// --scenario.
func (s *scenarioFlags) given() bool { return *s.scenario != "" || len(s.seeds) > 0 }

// resolved is what the flags name: the graph to analyse, the seeds and
// the mode.
type resolved struct {
	graph *graph.Graph // the model with the scenario's assumptions made
	base  *graph.Graph // the model as the file states it
	seeds []string
	mode  model.Mode
	// scenario is the scenario named, or nil.
	scenario *model.Scenario
}

// load loads the model, builds its graph and resolves the flags against
// it, as resolve does.
func (s *scenarioFlags) load(e *env, f *flags, path string) (*model.Model, resolved, bool) {
	m, g, ok := build(e, path, f.limits)
	if !ok {
		return nil, resolved{}, false
	}
	r, ok := s.resolve(e, f, path, m, g)
	return m, r, ok
}

// resolve returns the graph to analyse (the scenario's assumptions made),
// the seeds and the mode: the scenario's unless --mode is given.
func (s *scenarioFlags) resolve(e *env, f *flags, path string, m *model.Model, g *graph.Graph) (resolved, bool) {
	r := resolved{graph: g, base: g, seeds: s.seeds, mode: model.Mode(*s.mode)}
	if *s.scenario == "" {
		return r, true
	}
	sc, sg, ok := withScenario(e, path, m, g, *s.scenario)
	if !ok {
		return resolved{}, false
	}
	r.graph, r.seeds, r.scenario = sg, sc.Seeds(), sc
	if !f.given("mode") {
		r.mode = sc.Mode
	}
	return r, true
}

// name is the scenario's name, or "".
func (r resolved) name() string {
	if r.scenario == nil {
		return ""
	}
	return r.scenario.Name
}
