package graph

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/blastradius/blastradius/internal/english"
)

// Text states a radius in words, as every report writes it: the
// organisations affected by effect, the people they serve (each counted
// once) and the services affected, e.g. "12 organisations affected (0
// compromised, 12 disrupted, 0 degraded, 8 exposed), at least 1,900,000
// people; 3 services affected".
func (s Summary) Text() string {
	var effects []string
	for _, m := range measures {
		if m.Counts {
			effects = append(effects, m.Text(s.Of(m.Measure)))
		}
	}
	line := fmt.Sprintf("%s affected (%s), %s", MeasureOrganisations.Info().Text(s.Of(MeasureOrganisations)), strings.Join(effects, ", "), s.PeopleText())
	if n := s.Of(MeasureServices); n > 0 {
		line += fmt.Sprintf("; %s affected", MeasureServices.Info().Text(n))
	}
	return line
}

// Text writes a figure of the measure with its label: "12 organisations",
// "3 disrupted".
func (m *MeasureInfo) Text(x float64) string {
	n := english.Commas(int64(x))
	switch {
	case m.Float:
		n = strconv.FormatFloat(x, 'f', 1, 64)
	case m.Counts:
		return n + " " + m.Label
	}
	if x == 1 {
		return n + " " + m.Label
	}
	return n + " " + m.Labels
}

// PeopleText says how many people a radius reaches, and what the figure
// leaves out: people counts each person once and is a floor.
func (s Summary) PeopleText() string {
	switch {
	case s.Organisations == 0:
		return "no people"
	case s.WithoutFigures == s.Organisations:
		return "people unknown (the model gives no figures for them)"
	case s.WithoutFigures == 1:
		return fmt.Sprintf("at least %s (1 organisation gives no figure)", english.Plural(s.People, "person"))
	case s.WithoutFigures > 1:
		return fmt.Sprintf("at least %s (%s give no figure)", english.Plural(s.People, "person"), english.Plural(s.WithoutFigures, "organisation"))
	}
	return "at least " + english.Plural(s.People, "person")
}

// Headline is the line under a drawing's title: the mode, the seeds and the
// radius in words.
func (im *Impact) Headline() string {
	return fmt.Sprintf("%s from %s: %s", im.Mode, strings.Join(im.Seeds, ", "), im.Summary.Text())
}

// peopleNoteWords say, reason by reason, why people is an estimate or
// unbounded there.
var peopleNoteWords = map[string][2]string{
	PeopleNoICB:              {"names no ICB", "name no ICB"},
	PeopleICBWithoutPatients: {"is an ICB that gives no population", "are ICBs that give no population"},
	PeopleSplit:              {"serves several ICBs with one figure", "serve several ICBs with one figure"},
	PeopleSplitEqually:       {"serves several ICBs with one figure", "serve several ICBs with one figure"},
}

var peopleNoteEffect = map[string][2]string{
	PeopleNoICB:              {"which ICB's people it serves is unknown, so the count takes the larger of its figure and the ICBs' people instead of adding them, a floor that may be low", "which ICBs' people they serve is unknown, so the count takes the larger of their figures and the ICBs' people instead of adding them, a floor that may be low"},
	PeopleICBWithoutPatients: {"nothing caps its members' figures", "nothing caps their members' figures"},
	PeopleSplit:              {"its figure is split among them by their populations, an estimate", "each figure is split among its ICBs by their populations, an estimate"},
	PeopleSplitEqually:       {"its figure is split among them equally, as one gives no population, an estimate", "each figure is split among its ICBs equally, as one gives no population, an estimate"},
}

// PeopleNotesText says, one line a reason, where a radius's people figure
// is an estimate or unbounded; names beyond most are counted.
func PeopleNotesText(notes []PeopleNote, most int) []string {
	var out []string
	for _, reason := range PeopleReasons {
		var names []string
		for _, n := range notes {
			if n.Reason == reason {
				names = append(names, n.Name)
			}
		}
		if len(names) == 0 {
			continue
		}
		form := 0
		if len(names) > 1 {
			form = 1
		}
		verb, effect := peopleNoteWords[reason][form], peopleNoteEffect[reason][form]
		if len(names) > most {
			names = append(names[:most:most], english.Plural(len(names)-most, "other"))
		}
		out = append(out, fmt.Sprintf("%s %s: %s.", english.And(names), verb, effect))
	}
	return out
}
