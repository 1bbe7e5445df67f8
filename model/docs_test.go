package model

import (
	"fmt"
	"strconv"
	"strings"
)

// The tables of docs/model.md that restate a declaration of this package,
// generated from it. They live with the tests, which check that the docs
// hold them (and rewrite them with -update), for nothing else needs them;
// the tests of package model_test see them too.

// RelationTable writes the relation table of docs/model.md, in Markdown.
func RelationTable() string {
	s := "| relation | compromise spreads | outage spreads | data exposure |\n|---|---|---|---|\n"
	for _, r := range relations {
		s += "|"
		for _, cell := range r.Doc {
			if cell != "" {
				s += " " + cell
			}
			s += " |"
		}
		s += "\n"
	}
	return s
}

// DirectionTable returns the direction rules as the Markdown table that
// docs/model.md holds.
func DirectionTable() string {
	var b strings.Builder
	b.WriteString("| type | from (consumer) | to (provider) |\n|---|---|---|\n")
	names := func(rs []roles) string {
		out := make([]string, len(rs))
		for i, r := range rs {
			out[i] = r.Name
		}
		return strings.Join(out, "; ")
	}
	for _, r := range directionRules {
		types := make([]string, len(r.Types))
		for i, t := range r.Types {
			types[i] = "`" + string(t) + "`"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", strings.Join(types, ", "), names(r.From), names(r.To))
	}
	return b.String()
}

// KindsTable returns the Markdown table of the kinds of a class, as
// docs/model.md holds it.
func KindsTable(c Class) string {
	var b strings.Builder
	b.WriteString("| kind | role | in drawings | meaning |\n|---|---|---|---|\n")
	for _, k := range Kinds {
		if k.Class == c {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", k.ID, k.Role, k.Plural, k.Describe)
		}
	}
	return b.String()
}

// ControlTable returns the Markdown table of control effects that
// docs/model.md holds.
func ControlTable() string {
	var b strings.Builder
	b.WriteString("| control | stops | entry likelihood | recovery time | CAF principle | DSPT standard; supplier charter |\n|---|---|---|---|---|---|\n")
	for _, c := range ControlEffects {
		var stops []string
		for _, r := range relations {
			for _, e := range []Carry{Compromise, Outage, Degradation, Exposure} {
				if r.Stops[e] == c.Control {
					name := map[Carry]string{Compromise: "compromise", Outage: "outage", Degradation: "degradation", Exposure: "exposure"}[e]
					stops = append(stops, fmt.Sprintf("%s crossing `%s` into the node", name, r.Relation))
				}
			}
		}
		stop := "nothing"
		if len(stops) > 0 {
			stop = strings.Join(stops, "; ")
		}
		entry := "unchanged"
		if c.Entry != 1 {
			entry = "× " + strconv.FormatFloat(c.Entry, 'f', -1, 64)
		}
		recovery := "unchanged"
		if c.Recovery != 1 {
			recovery = "× " + strconv.FormatFloat(c.Recovery, 'f', -1, 64)
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", c.Control, stop, entry, recovery, c.CAF, c.DSPT)
	}
	return b.String()
}

// EntryTable returns the Markdown table of default entry likelihoods that
// docs/model.md holds.
func EntryTable() string {
	var b strings.Builder
	b.WriteString("| role | kinds | default entry a year |\n|---|---|---|\n")
	for _, e := range EntryBase {
		var kinds []string
		for _, k := range Kinds {
			if k.Role == e.Role {
				kinds = append(kinds, "`"+k.ID+"`")
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", e.Role, strings.Join(kinds, ", "), strconv.FormatFloat(e.Base, 'f', -1, 64))
	}
	return b.String()
}
