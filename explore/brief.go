package explore

import (
	"cmp"
	"fmt"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// Brief is what a scenario's printed brief says in lists, each node by its
// name (its id only when it has none), each list with a heading whose
// count is that of the list: "3 of 24 dependencies" when it shows the
// first 3, "24 dependencies" when it shows them all.
type Brief struct {
	// Seeds are the nodes compromised first.
	Seeds []string `json:"seeds"`
	// Assume says each change the scenario assumes, as model.Change says
	// it, the nodes by name.
	Assume []string `json:"assume"`
	// Spared and Added are the organisations the scenario's assumptions
	// spare and newly affect, against the model as written.
	Spared List `json:"spared"`
	Added  List `json:"added"`
	// Dominators are the nodes on every path to some organisations, with
	// what each shelters; Changes the single changes that spare most.
	Dominators List `json:"dominators"`
	Changes    List `json:"changes"`
	// Cut is the fewest dependencies that separate the seeds from the
	// affected organisations; CutWords says why there is none to list.
	Cut      List   `json:"cut"`
	CutWords string `json:"cut_words,omitempty"`
	// Neighbours are the organisations next to the radius, by a
	// dependency either way or as a service's operator, that stay
	// unaffected.
	Neighbours List `json:"neighbours"`
}

// List is some items of a brief and how many there are in all.
type List struct {
	Head  string   `json:"head"` // "3 of 24 dependencies", or "24 dependencies"
	Total int      `json:"total"`
	Items []string `json:"items"`
}

// How many items a brief lists: names run on in a sentence, other items
// take a line each.
const (
	briefNames = 12
	briefLines = 3
)

// list keeps the first max items and heads them with their count.
func list(items []string, max int, one, many string) List {
	l := List{Total: len(items), Items: items[:min(len(items), max)]}
	noun := many
	if l.Total == 1 {
		noun = one
	}
	if len(l.Items) < l.Total {
		l.Head = fmt.Sprintf("%d of %s %s", len(l.Items), num(l.Total), noun)
	} else {
		l.Head = fmt.Sprintf("%s %s", num(l.Total), noun)
	}
	if l.Items == nil {
		l.Items = []string{}
	}
	return l
}

// num writes a count with thousands separated, as the page does.
func num(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// peopleWords says a count of people, each counted once: a floor.
func peopleWords(n int64) string {
	switch n {
	case 0:
		return "no people"
	case 1:
		return "at least 1 person"
	}
	return "at least " + num(int(n)) + " people"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return num(n) + " " + many
}

// name is a node's name, or its id when it has none or is not in the model.
func (s *Session) name(g *graph.Graph, id string) string {
	if n, ok := g.Lookup(id); ok && n.Name != "" {
		return n.Name
	}
	if n, ok := s.Graph.Lookup(id); ok && n.Name != "" {
		return n.Name
	}
	return id
}

func (s *Session) names(g *graph.Graph, ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = s.name(g, id)
	}
	return out
}

// Brief says a result and its chokepoints as a brief lists them.
func (s *Session) Brief(res *Result, cp *graph.Chokepoints) (*Brief, error) {
	x, err := s.graphFor(res.query)
	if err != nil {
		return nil, err
	}
	g := x.graph
	b := &Brief{
		Seeds:  s.names(g, res.Seeds),
		Spared: list(s.names(g, res.Spared), briefNames, "organisation", "organisations"),
		Added:  list(s.names(g, res.Added), briefNames, "organisation", "organisations"),
	}
	b.Assume = []string{}
	for _, c := range res.query.Assume.Changes {
		b.Assume = append(b.Assume, s.changeWords(g, c))
	}
	var lines []string
	for _, d := range cp.Dominators {
		lines = append(lines, fmt.Sprintf("%s: %s, %s", s.name(g, d.ID), plural(d.Organisations, "organisation", "organisations"), peopleWords(d.People)))
	}
	b.Dominators = list(lines, briefLines, "node", "nodes")
	lines = nil
	for _, c := range cp.Changes {
		lines = append(lines, s.gainWords(g, c))
	}
	b.Changes = list(lines, briefLines, "change", "changes")
	lines = nil
	switch cut := cp.Cut; {
	case cut == nil:
	case cut.Unbreakable:
		b.CutWords = "No dependency change separates them: the seeds reach an organisation through the services it runs."
	case cut.Size == 0:
		b.CutWords = "None needed: no organisation is affected."
	default:
		for _, d := range cut.Dependencies {
			at := ""
			if d.Line > 0 {
				at = fmt.Sprintf(", %s:%d:%d", cmp.Or(d.File, s.Model.File), d.Line, d.Column)
			}
			lines = append(lines, fmt.Sprintf("%s depends on %s (%s%s)", s.name(g, d.From), s.name(g, d.To), d.Type, at))
		}
	}
	b.Cut = list(lines, briefLines, "dependency", "dependencies")
	b.Neighbours = list(s.names(g, neighbours(g, res.Impact)), briefNames, "organisation", "organisations")
	return b, nil
}

// changeWords says a change as model.Change does, the nodes by name.
func (s *Session) changeWords(g *graph.Graph, c model.Change) string {
	name := func(id string) string {
		if id == "" {
			return ""
		}
		return s.name(g, id)
	}
	c.ID, c.From, c.To, c.Alternative = name(c.ID), name(c.From), name(c.To), name(c.Alternative)
	if c.Dependency != nil {
		d := *c.Dependency
		d.From, d.To, d.Alternatives = name(d.From), name(d.To), s.names(g, d.Alternatives)
		c.Dependency = &d
	}
	return c.String()
}

// gainWords says one change and what it spares, the nodes by name.
func (s *Session) gainWords(g *graph.Graph, c graph.Gain) string {
	what := fmt.Sprintf("%s on %s", c.Control, s.name(g, c.ID))
	if c.To != "" {
		what = fmt.Sprintf("an alternative for %s's dependency on %s", s.name(g, c.ID), s.name(g, c.To))
	}
	fewer := num(c.Disruptions) + " fewer disrupted"
	if c.Organisations > 0 {
		return fmt.Sprintf("%s: spares %s (%s); %s", what, plural(c.Organisations, "organisation", "organisations"), peopleWords(c.People), fewer)
	}
	return fmt.Sprintf("%s: spares no organisation, but %s (still affected, less severely)", what, fewer)
}

// neighbours lists the organisations that an affected node depends on or
// is depended on by, or that run an affected service, and that stay
// unaffected, in the model's order.
func neighbours(g *graph.Graph, im *graph.Impact) []string {
	hit := make(map[string]bool, len(im.Affected))
	for _, a := range im.Affected {
		hit[a.ID] = true
	}
	next := map[string]bool{}
	m := g.Model()
	for _, d := range m.Dependencies {
		if hit[d.From] != hit[d.To] {
			next[d.From], next[d.To] = true, true
		}
	}
	for _, n := range m.Services {
		if n.Operator != "" && hit[n.ID] != hit[n.Operator] {
			next[n.Operator] = true
		}
	}
	var out []string
	for _, n := range m.Organisations {
		if next[n.ID] && !hit[n.ID] {
			out = append(out, n.ID)
		}
	}
	return out
}
