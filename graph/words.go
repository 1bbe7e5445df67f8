package graph

import (
	"fmt"
	"strings"

	"github.com/blastradius/blastradius/internal/english"
)

// Text states a radius in words, as every report writes it: the
// organisations affected by effect, the people they serve (each counted
// once) and the services affected, e.g. "12 organisations affected (0
// compromised, 12 disrupted, 0 degraded, 8 exposed), at least 1,900,000
// people; 3 services affected".
func (s Summary) Text() string {
	line := fmt.Sprintf("%s affected (%s compromised, %s disrupted, %s degraded, %s exposed), %s",
		english.Plural(s.Organisations, "organisation"), english.Commas(s.Compromised), english.Commas(s.Disrupted),
		english.Commas(s.Degraded), english.Commas(s.Exposed), s.PeopleText())
	if s.Services > 0 {
		line += fmt.Sprintf("; %s affected", english.Plural(s.Services, "service"))
	}
	return line
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
