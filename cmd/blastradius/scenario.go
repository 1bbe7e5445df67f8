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

// scenarioMode applies the scenario named by --scenario, if any, as
// withScenario does, and returns the mode to analyse in: --mode when given,
// else the scenario's. The scenario is nil when none is named.
func scenarioMode(e *env, f *flags, path string, m *model.Model, g *graph.Graph, name, mode string) (*model.Scenario, *graph.Graph, model.Mode, bool) {
	if name == "" {
		return nil, g, model.Mode(mode), true
	}
	s, g, ok := withScenario(e, path, m, g, name)
	if !ok {
		return nil, nil, "", false
	}
	if f.given("mode") {
		return s, g, model.Mode(mode), true
	}
	return s, g, s.Mode, true
}

// given reports whether the flag was set on the command line.
func (f *flags) given(name string) bool {
	set := false
	f.Visit(func(fl *flag.Flag) { set = set || fl.Name == name })
	return set
}

// scenarioFlags are --compromise, --scenario and --mode, for the commands
// that analyse one scenario.
type scenarioFlags struct {
	seeds    listFlag
	scenario *string
	mode     *string
}

func newScenarioFlags(f *flags) *scenarioFlags {
	s := &scenarioFlags{}
	f.Var(&s.seeds, "compromise", "")
	s.scenario = f.String("scenario", "", "")
	s.mode = f.mode()
	return s
}

// check reports a usage error, if any, after parsing; need says whether a
// compromise must be named.
func (s *scenarioFlags) check(e *env, f *flags, need bool) (int, bool) {
	switch {
	case *s.scenario != "" && f.given("compromise"):
		return f.usageError(e, "give --compromise or --scenario, not both"), false
	case *s.scenario != "" && f.given("mode"):
		return f.usageError(e, "--scenario sets the mode; leave out --mode"), false
	case need && *s.scenario == "" && len(s.seeds) == 0:
		return f.usageError(e, "name what is compromised with --compromise ID[,ID...], or run a --scenario"), false
	}
	return 0, true
}

// load loads the model, builds its graph and resolves the flags against it,
// as resolve does.
func (s *scenarioFlags) load(e *env, f *flags, path string) (*graph.Graph, []string, model.Mode, string, bool) {
	m, g, ok := build(e, path, f.limits)
	if !ok {
		return nil, nil, "", "", false
	}
	return s.resolve(e, path, m, g)
}

// resolve returns the graph to analyse (the scenario's assumptions made),
// the seeds and the mode.
func (s *scenarioFlags) resolve(e *env, path string, m *model.Model, g *graph.Graph) (*graph.Graph, []string, model.Mode, string, bool) {
	if *s.scenario == "" {
		return g, s.seeds, model.Mode(*s.mode), "", true
	}
	sc, g, ok := withScenario(e, path, m, g, *s.scenario)
	if !ok {
		return nil, nil, "", "", false
	}
	return g, sc.Seeds(), sc.Mode, sc.Name, true
}
