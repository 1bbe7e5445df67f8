package explore

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/render"
	"github.com/blastradius/blastradius/timeline"
)

// ErrNoTimeData says that a model gives no node a recovery or a restore
// schedule, so that a timeline could only say that the compromised nodes
// stay down.
var ErrNoTimeData = errors.New("the model says of no node how long it takes to come back: give compromised nodes recovery: DAYS or a restore: schedule (see docs/model.md)")

// Timeline is the strip chart of who goes down and for how long, for a
// result, as "render --timeline" draws it: on the model with the result's
// what-if made, from the scenario's start date if it has one, until every
// node is back (at most a year). Its SVG holds no script and no style
// sheet, so that it shows under the pages' Content-Security-Policy. A
// model with no time data gives ErrNoTimeData. daysWidth, if above 0,
// draws the days that wide (render.Timeline.DaysWidth), for a page that
// shows the picture narrow.
func (s *Session) Timeline(res *Result, daysWidth float64) (*timeline.Timeline, []byte, error) {
	if !render.HasTimeData(s.Model) {
		return nil, nil, ErrNoTimeData
	}
	x, err := s.graphFor(res.query)
	if err != nil {
		return nil, nil, err
	}
	opt := timeline.Options{Mode: res.Mode, Scenario: res.Scenario}
	if sc := res.query.scenario; sc != nil {
		opt.Start = sc.Start
	}
	tl, err := timeline.Compute(x.graph, res.Seeds, opt)
	if err != nil {
		return nil, nil, err
	}
	var b bytes.Buffer
	t := render.TimelineOf(tl, x.graph)
	t.DaysWidth = daysWidth
	if err := render.WriteTimelineSVG(&b, t); err != nil {
		return nil, nil, err
	}
	return tl, b.Bytes(), nil
}

// timeline serves the strip chart of the current view as SVG; a model
// with no time data is 404, with what to add.
func (s *Server) timeline(w http.ResponseWriter, r *http.Request) {
	sess := s.Session()
	if sess == nil {
		http.Error(w, "the model does not load", http.StatusServiceUnavailable)
		return
	}
	res, ok := analyseRequest(w, r, sess)
	if !ok {
		return
	}
	_, svg, err := sess.Timeline(res, 0)
	switch {
	case errors.Is(err, ErrNoTimeData):
		http.Error(w, "No timeline: "+err.Error()+".", http.StatusNotFound)
		return
	case err != nil:
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Write(svg)
}

// TimelineWords says in a sentence what a timeline's picture shows: how
// many organisations are short, what they lose in all, and when every
// node is back.
func TimelineWords(tl *timeline.Timeline) string {
	t := tl.Totals
	if t.Organisations == 0 {
		if tl.Mode == "exfiltration" {
			return "No organisation loses capacity: an exfiltration takes no service down."
		}
		return "No organisation loses capacity."
	}
	var b strings.Builder
	b.WriteString(english.Plural(t.Organisations, "organisation") + " short")
	var lost []string
	for _, u := range tl.Units() {
		lost = append(lost, amount(t.ActivityLost[u])+" "+strings.ReplaceAll(u, "-", " "))
	}
	if len(lost) > 0 {
		b.WriteString("; lost in all: " + strings.Join(lost, ", "))
	} else {
		b.WriteString("; " + amount(t.ServiceDaysLost) + " service-days lost")
	}
	switch {
	case t.Back == nil:
		b.WriteString("; not every node is back within " + english.Plural(tl.Horizon, "day"))
	case t.BackDate != "":
		d, _ := time.Parse(time.DateOnly, t.BackDate)
		b.WriteString("; every node back on " + d.Format("2 January 2006"))
	default:
		b.WriteString("; every node back on day " + english.Commas(*t.Back))
	}
	if len(tl.NoRecovery) > 0 {
		b.WriteString("; no recovery is given for " + strings.Join(tl.NoRecovery, ", ") + " (down to the horizon)")
	}
	return b.String() + "."
}

func amount(x float64) string {
	if x >= 100 {
		return english.Commas(int64(x + 0.5))
	}
	return strings.TrimSuffix(strconv.FormatFloat(x, 'f', 1, 64), ".0")
}
