// Package explore is the blast radius explorer: the analyses a page shows,
// the local server that answers them ("blastradius serve"), and the
// one-file report ("blastradius report"). Every figure comes from the
// graph package, on a model with model.Apply's assumptions made, exactly as
// the command line computes it.
package explore

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// People is how many people an impact affects, each counted once (see
// graph.People).
func People(s graph.Summary) int64 { return s.People }

// Query names one analysis: seeds and mode, or a scenario of the file, with
// a what-if on top.
type Query struct {
	Seeds    []string
	Mode     model.Mode
	Scenario string
	Assume   WhatIf

	scenario *model.Scenario // the scenario named, once resolved
	extra    WhatIf          // the changes asked for beyond the scenario's
}

// Result is one analysis as the page shows it.
type Result struct {
	Scenario string        `json:"scenario,omitempty"`
	Seeds    []string      `json:"seeds"`
	Mode     model.Mode    `json:"mode"`
	Assume   string        `json:"assume"`       // the what-if in force, scenario's included
	Items    []Item        `json:"assume_items"` // the same, change by change, in words
	YAML     string        `json:"assume_yaml"`  // the same as an assume: block
	Impact   *graph.Impact `json:"impact"`
	People   int64         `json:"people"`
	// Baseline is the model as written, when a what-if is in force.
	Baseline       *graph.Impact `json:"baseline,omitempty"`
	BaselinePeople int64         `json:"baseline_people,omitempty"`
	Spared         []string      `json:"spared"` // organisations the what-if spares
	Added          []string      `json:"added"`  // organisations it newly affects
	Groups         []Group       `json:"groups"`
	// Warnings say which changes of the what-if change nothing, such as a
	// control the node already has.
	Warnings []string `json:"warnings"`

	query Query // the query, resolved
}

// Group is the affected organisations and services with one effect, by ICB
// and kind.
type Group struct {
	Effect graph.Effect `json:"effect"`
	Count  int          `json:"count"`
	Areas  []Area       `json:"areas"`
}

// Area is one ICB's part of a group ("" for services and organisations in
// no ICB).
type Area struct {
	ICB   string `json:"icb"`
	Name  string `json:"name"`
	Count int    `json:"count"`
	Kinds []Kind `json:"kinds"`
}

// Kind is the nodes of one kind in an area.
type Kind struct {
	Kind  string   `json:"kind"`
	Count int      `json:"count"`
	IDs   []string `json:"ids"`
}

// Session holds one loaded model and the graphs of the what-ifs tried on it.
// It is safe for concurrent use.
type Session struct {
	File  string
	Model *model.Model
	Graph *graph.Graph
	// Limits bound what a what-if may write, as they bound the file; the
	// zero value means model.DefaultLimits.
	Limits model.Limits

	mu     sync.Mutex
	graphs map[string]assumed // by what-if text
	order  []string
	rank   map[model.Mode]*graph.Rank
}

// assumed is the model with a what-if made: its graph, and the what-if as
// the model's assumptions.
type assumed struct {
	graph    *graph.Graph
	assume   model.Assumptions
	warnings []string // what the what-if changes nothing by, in words
}

// NewSession builds the graph of a parsed model.
func NewSession(file string, m *model.Model) (*Session, error) {
	g, err := graph.Build(m)
	if err != nil {
		return nil, err
	}
	return &Session{File: file, Model: m, Graph: g, graphs: map[string]assumed{}, rank: map[model.Mode]*graph.Rank{}}, nil
}

// at returns pos in the model's root file if it names no file, as in a
// model built in memory.
func (s *Session) at(pos model.Pos) model.Pos {
	if pos.File == "" {
		pos.File = s.Model.File
	}
	return pos
}

func (s *Session) limits() model.Limits {
	if s.Limits == (model.Limits{}) {
		return model.DefaultLimits
	}
	return s.Limits
}

// graphFor returns the graph of the model with a resolved query's what-if
// made by model.Apply, and the what-if as the model's assumptions; the few
// most recent are kept. A scenario's own assumptions are used as the file
// states them, exactly as "reach --scenario" uses them; a what-if beyond
// them is checked and read as an assume: block (WhatIf.Assumptions).
func (s *Session) graphFor(q Query) (assumed, error) {
	if q.Assume.Empty() {
		return assumed{graph: s.Graph}, nil
	}
	key := q.Assume.String()
	own := q.scenario != nil && q.extra.Empty()
	if own {
		// Its positions are the file's, which the what-if's are not.
		key = "scenario\x00" + q.scenario.Name
	}
	s.mu.Lock()
	x, ok := s.graphs[key]
	s.mu.Unlock()
	if ok {
		return x, nil
	}
	if own {
		x.assume = q.scenario.Assume
	} else {
		var err error
		if x.assume, x.warnings, err = q.Assume.Assumptions(s.Model, s.limits()); err != nil {
			return assumed{}, err
		}
	}
	var err error
	if x.graph, err = graph.Build(s.Model.Apply(x.assume.Changes())); err != nil {
		return assumed{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	const keep = 8
	if _, ok := s.graphs[key]; !ok {
		s.graphs[key] = x
		s.order = append(s.order, key)
		if len(s.order) > keep {
			delete(s.graphs, s.order[0])
			s.order = s.order[1:]
		}
	}
	return x, nil
}

// resolve fills a query's seeds, mode and what-if from its scenario.
func (s *Session) resolve(q Query) (Query, error) {
	if q.Scenario != "" {
		sc := s.Model.Scenario(q.Scenario)
		if sc == nil {
			var names []string
			for _, x := range s.Model.Scenarios {
				names = append(names, x.Name)
			}
			hint := ""
			if sg := model.Suggest(q.Scenario, names); sg != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", sg)
			}
			return q, fmt.Errorf("no scenario %q%s", q.Scenario, hint)
		}
		q.Seeds, q.Mode = sc.Seeds(), sc.Mode
		q.scenario, q.extra = sc, q.Assume
		q.Assume = FromAssumptions(sc.Assume).Join(q.Assume)
	}
	if q.Mode == "" {
		q.Mode = model.Ransomware
	}
	if q.Mode != model.Ransomware && q.Mode != model.Exfiltration {
		return q, fmt.Errorf("unknown mode %q: use ransomware or exfiltration", q.Mode)
	}
	if len(q.Seeds) == 0 {
		return q, fmt.Errorf("name a seed or a scenario")
	}
	return q, nil
}

// Analyse runs one query: Reach on the model with the what-if made, and on
// the model as written when a what-if is in force.
func (s *Session) Analyse(q Query) (*Result, error) {
	q, err := s.resolve(q)
	if err != nil {
		return nil, err
	}
	x, err := s.graphFor(q)
	if err != nil {
		return nil, err
	}
	im, err := x.graph.Reach(q.Seeds, q.Mode)
	if err != nil {
		return nil, err
	}
	r := &Result{Scenario: q.Scenario, Seeds: im.Seeds, Mode: q.Mode, Impact: im, People: People(im.Summary),
		Assume: q.Assume.String(), Items: q.Assume.Items(), Spared: []string{}, Added: []string{}, Warnings: x.warnings, query: q}
	if r.Warnings == nil {
		r.Warnings = []string{}
	}
	if !q.Assume.Empty() {
		r.YAML = q.Assume.YAML()
		if r.Baseline, err = s.Graph.Reach(q.Seeds, q.Mode); err != nil {
			return nil, err
		}
		r.BaselinePeople = People(r.Baseline.Summary)
		r.Spared, r.Added = orgDifference(r.Baseline, im), orgDifference(im, r.Baseline)
	}
	r.Groups = s.groups(im)
	return r, nil
}

// Chokepoints runs graph.Chokepoints for a query: the 10 dominators and
// changes that spare most.
func (s *Session) Chokepoints(q Query) (*graph.Chokepoints, error) { return s.chokepoints(q, 10) }

// chokepoints is Chokepoints with the top dominators and changes.
func (s *Session) chokepoints(q Query, top int) (*graph.Chokepoints, error) {
	q, err := s.resolve(q)
	if err != nil {
		return nil, err
	}
	x, err := s.graphFor(q)
	if err != nil {
		return nil, err
	}
	return x.graph.Chokepoints(q.Seeds, q.Mode, nil, top)
}

// Paths runs graph.Paths from each seed of a query to one node.
func (s *Session) Paths(q Query, to string) ([]graph.Way, error) {
	q, err := s.resolve(q)
	if err != nil {
		return nil, err
	}
	x, err := s.graphFor(q)
	if err != nil {
		return nil, err
	}
	ways := []graph.Way{} // none is [], not null
	for _, seed := range q.Seeds {
		w, err := x.graph.Paths(seed, to, q.Mode, 3)
		if err != nil {
			return nil, err
		}
		ways = append(ways, w...)
	}
	return ways, nil
}

// Rank is graph.Rank, computed once per mode.
func (s *Session) Rank(mode model.Mode) (*graph.Rank, error) {
	s.mu.Lock()
	r, ok := s.rank[mode]
	s.mu.Unlock()
	if ok {
		return r, nil
	}
	r, err := s.Graph.Rank(mode, graph.RankOptions{})
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.rank[mode] = r
	s.mu.Unlock()
	return r, nil
}

// orgDifference lists the organisations affected in a but not in b.
func orgDifference(a, b *graph.Impact) []string {
	inB := make(map[string]bool, len(b.Affected))
	for _, x := range b.Affected {
		inB[x.ID] = true
	}
	out := []string{}
	for _, x := range a.Affected {
		if x.Class == model.ClassOrganisation && !inB[x.ID] {
			out = append(out, x.ID)
		}
	}
	return out
}

// icbOf is the area a node is counted in: its ICB, an ICB itself, or "".
func icbOf(n *model.Node) string {
	switch {
	case n.Class != model.ClassOrganisation:
		return ""
	case n.ICB != "":
		return n.ICB
	case n.Kind == "icb":
		return n.ID
	}
	return ""
}

func (s *Session) areaName(icb string) string {
	if icb == "" {
		return "Services and organisations outside an ICB"
	}
	if n, ok := s.Graph.Lookup(icb); ok {
		return n.Name
	}
	return icb
}

// groups sorts an impact's nodes by effect, ICB and kind.
func (s *Session) groups(im *graph.Impact) []Group {
	var out []Group
	for _, eff := range graph.Effects {
		g := Group{Effect: eff}
		areas := map[string]*Area{}
		for _, a := range im.Affected {
			if a.Impact != eff {
				continue
			}
			n, _ := s.Graph.Lookup(a.ID)
			icb := icbOf(n)
			ar := areas[icb]
			if ar == nil {
				ar = &Area{ICB: icb, Name: s.areaName(icb)}
				areas[icb] = ar
			}
			i := slices.IndexFunc(ar.Kinds, func(k Kind) bool { return k.Kind == a.Kind })
			if i < 0 {
				ar.Kinds = append(ar.Kinds, Kind{Kind: a.Kind})
				i = len(ar.Kinds) - 1
			}
			ar.Kinds[i].Count++
			ar.Kinds[i].IDs = append(ar.Kinds[i].IDs, a.ID)
			ar.Count++
			g.Count++
		}
		if g.Count == 0 {
			continue
		}
		for _, ar := range areas {
			slices.SortFunc(ar.Kinds, func(a, b Kind) int { return cmp.Or(b.Count-a.Count, strings.Compare(a.Kind, b.Kind)) })
			g.Areas = append(g.Areas, *ar)
		}
		slices.SortFunc(g.Areas, func(a, b Area) int {
			return cmp.Or(cmpBool(a.ICB == "", b.ICB == ""), b.Count-a.Count, strings.Compare(a.ICB, b.ICB))
		})
		out = append(out, g)
	}
	return out
}

// Overview is the model at a glance.
type Overview struct {
	Name        string         `json:"name"`
	File        string         `json:"file"`
	Description string         `json:"description"`
	Tiles       []Tile         `json:"tiles"`
	Scenarios   []ScenarioInfo `json:"scenarios"`
	Nodes       int            `json:"nodes"`
	Warnings    []string       `json:"warnings"`
	// Controls and Relations are the words a what-if may use, for the
	// page's form.
	Controls  []string         `json:"controls"`
	Relations []model.Relation `json:"relations"`
}

// Tile is one ICB: its organisations and people, and for a result the
// organisations it loses by effect.
type Tile struct {
	ICB           string         `json:"icb"`
	Name          string         `json:"name"`
	Organisations int            `json:"organisations"`
	People        int64          `json:"people"`
	Affected      map[string]int `json:"affected,omitempty"`
	// AffectedPeople counts each person served by an affected organisation
	// of the ICB once (see graph.People).
	AffectedPeople int64 `json:"affected_people,omitempty"`
}

// ScenarioInfo is one scenario of the file.
type ScenarioInfo struct {
	Name   string     `json:"name"`
	Seeds  []string   `json:"seeds"`
	Mode   model.Mode `json:"mode"`
	Assume string     `json:"assume"`
	Words  string     `json:"assume_words"`
	File   string     `json:"file"`
	Line   int        `json:"line"`
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// Overview describes the model, with tiles counting what im affects (nil:
// no counts). A tile's people are its ICB's population if the model gives
// it, else its organisations' people counted once (graph.People).
func (s *Session) Overview(im *graph.Impact) *Overview {
	m := s.Model
	o := &Overview{Name: m.Name, File: s.File, Description: strings.TrimSpace(m.Description), Nodes: s.Graph.Len(), Warnings: []string{}, Scenarios: []ScenarioInfo{},
		Controls: model.Controls, Relations: model.Relations}
	for _, w := range m.Warnings {
		o.Warnings = append(o.Warnings, w.Error())
	}
	tiles := map[string]*Tile{}
	for _, n := range m.Organisations {
		icb := icbOf(n)
		t := tiles[icb]
		if t == nil {
			t = &Tile{ICB: icb, Name: s.areaName(icb)}
			tiles[icb] = t
		}
		t.Organisations++
	}
	ids := make([]string, len(m.Organisations))
	for i, n := range m.Organisations {
		ids[i] = n.ID
	}
	if _, areas, err := s.Graph.People(ids); err == nil {
		for _, a := range areas {
			if t := tiles[a.ICB]; t != nil {
				t.People = cmp.Or(a.Population, a.People)
			}
		}
	}
	if im != nil {
		var hit []string
		for _, a := range im.Affected {
			hit = append(hit, a.ID)
		}
		if _, areas, err := s.Graph.People(hit); err == nil {
			for _, a := range areas {
				if t := tiles[a.ICB]; t != nil {
					t.AffectedPeople = a.People
				}
			}
		}
		for _, a := range im.Affected {
			if a.Class != model.ClassOrganisation {
				continue
			}
			n, _ := s.Graph.Lookup(a.ID)
			t := tiles[icbOf(n)]
			if t.Affected == nil {
				t.Affected = map[string]int{}
			}
			t.Affected[a.Impact.String()]++
		}
	}
	for _, t := range tiles {
		o.Tiles = append(o.Tiles, *t)
	}
	slices.SortFunc(o.Tiles, func(a, b Tile) int {
		return cmp.Or(cmpBool(a.ICB == "", b.ICB == ""), natural(a.Name, b.Name), strings.Compare(a.ICB, b.ICB))
	})
	for _, sc := range m.Scenarios {
		o.Scenarios = append(o.Scenarios, ScenarioInfo{Name: sc.Name, Seeds: sc.Seeds(), Mode: cmp.Or(sc.Mode, model.Ransomware),
			Assume: FromAssumptions(sc.Assume).String(), Words: FromAssumptions(sc.Assume).Words(), File: s.at(sc.Pos).File, Line: sc.Pos.Line})
	}
	return o
}

// natural compares names as a reader orders them: the numbers in them by
// value, so "ICB 2" comes before "ICB 10".
func natural(a, b string) int {
	for a != "" && b != "" {
		da, db := digits(a), digits(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if c := cmp.Or(cmp.Compare(len(na), len(nb)), strings.Compare(na, nb)); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

// digits is how many ASCII digits s starts with.
func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// Match is one search result.
type Match struct {
	Type  string `json:"type"` // node or scenario
	ID    string `json:"id"`
	Name  string `json:"name"`
	Kind  string `json:"kind,omitempty"`
	Class string `json:"class,omitempty"`
	ODS   string `json:"ods,omitempty"`
}

// Search finds scenarios and nodes whose name, id, ODS code or kind holds
// every word of the query, scenarios first, then exact ids, then by id.
func (s *Session) Search(query string, limit int) []Match {
	words := strings.Fields(strings.ToLower(query))
	out := []Match{}
	if len(words) == 0 {
		return out
	}
	has := func(fields ...string) bool {
		text := strings.ToLower(strings.Join(fields, " "))
		for _, w := range words {
			if !strings.Contains(text, w) {
				return false
			}
		}
		return true
	}
	for _, sc := range s.Model.Scenarios {
		if has(sc.Name) && len(out) < limit {
			out = append(out, Match{Type: "scenario", ID: sc.Name, Name: sc.Name})
		}
	}
	q := strings.ToLower(strings.TrimSpace(query))
	match := func(n *model.Node) Match {
		return Match{Type: "node", ID: n.ID, Name: n.Name, Kind: n.Kind, Class: string(n.Class), ODS: n.ODS}
	}
	var exact, rest []Match
	for _, n := range s.Graph.Nodes() {
		switch {
		case strings.ToLower(n.ID) == q || strings.ToLower(n.ODS) == q:
			exact = append(exact, match(n))
		case len(rest) < limit && has(n.ID, n.Name, n.ODS, n.Kind):
			rest = append(rest, match(n))
		}
	}
	for _, m := range append(exact, rest...) {
		if len(out) >= limit {
			break
		}
		out = append(out, m)
	}
	return out
}
