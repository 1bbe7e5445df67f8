package explore

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"math"
	"slices"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/textsafe"
	"github.com/blastradius/blastradius/model"
)

// ReportOptions tune Report.
type ReportOptions struct {
	Version string
	// Draw lays out each scenario's drawing; nil leaves the drawings out
	// and the report says why.
	Draw Drawer
	// NoDraw says why there is no drawing when Draw is nil.
	NoDraw string
	// Depth limits each drawing to nodes this many steps from a seed (0: no limit).
	Depth int
	// Scenario names the one scenario to brief; "" briefs every one, with
	// the overview and the rank. An unknown name is an error that says
	// which scenario was meant.
	Scenario string
	// Paper is the size of the printed page, A4 (the default) or Letter.
	Paper Paper
}

// Paper is a printed page's size.
type Paper string

// The papers a report prints on.
const (
	A4     Paper = "a4"
	Letter Paper = "letter"
)

// Papers lists the papers, for flags and docs.
var Papers = []Paper{A4, Letter}

// pageCSS sizes the printed page and the drawing's page within it. The
// margins are the page's; the drawing takes the page's width and what is
// left of its height under the drawing's title.
func (p Paper) pageCSS() (string, error) {
	var size, h string
	switch p {
	case A4, "":
		size, h = "A4", "247mm" // 297mm less 2 × 12mm margins and the title
	case Letter:
		size, h = "letter", "229mm" // 279mm less 2 × 12mm margins and the title
	default:
		return "", fmt.Errorf("paper %q: use a4 or letter", string(p))
	}
	return fmt.Sprintf("\n@page { size: %s; margin: 12mm; }\n@media print { :root { --drawing-height: %s; } }\n", size, h), nil
}

// reportData is everything the report's page shows, carried as JSON.
type reportData struct {
	Version string `json:"version"`
	// Paper is the printed page's size.
	Paper Paper `json:"paper"`
	// One says that the report briefs one scenario, without the overview
	// and the rank.
	One       bool            `json:"one,omitempty"`
	Overview  *Overview       `json:"overview"`
	Scenarios []reportSection `json:"scenarios"`
	Rank      *graph.Rank     `json:"rank"`
}

type reportSection struct {
	Title       string             `json:"title"`
	Result      *Result            `json:"result"`
	Chokepoints *graph.Chokepoints `json:"chokepoints"`
	Brief       *Brief             `json:"brief"`
	SVG         string             `json:"svg,omitempty"` // base64
	NoDrawing   string             `json:"no_drawing,omitempty"`
	// Timeline is the strip chart of who goes down and for how long, an
	// SVG in base64, when the model gives time data and some organisation
	// loses capacity; TimelineText says in a sentence what it shows, or
	// that none does.
	Timeline     string `json:"timeline,omitempty"`
	TimelineText string `json:"timeline_text,omitempty"`
}

var reportPage = template.Must(template.New("report").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="icon" href="data:,">
<style>{{.CSS}}</style>
</head>
<body>
<header><h1 id="title">{{.Title}}</h1><div class="controls"></div></header>
<nav id="views"></nav>
<main id="app"><noscript>This report needs JavaScript to lay out its figures; they are in the report-data element of this file.</noscript></main>
<script type="application/json" id="report-data">{{.Data}}</script>
<script>{{.JS}}</script>
</body>
</html>
`))

// Report writes one self-contained HTML file: the overview, every scenario
// of the file with its radius, paths, chokepoints and drawing (and, when
// the model says how long nodes take to come back, its timeline), and the
// rank. Its Content-Security-Policy allows only its own inline script and
// style, by hash, and images carried in the file.
func (s *Session) Report(opt ReportOptions) ([]byte, error) {
	page, err := opt.Paper.pageCSS()
	if err != nil {
		return nil, err
	}
	data := reportData{Version: opt.Version, Paper: cmp.Or(opt.Paper, A4), One: opt.Scenario != "", Overview: s.Overview(nil), Scenarios: []reportSection{}}
	type job struct {
		title string
		q     Query
	}
	var jobs []job
	for _, sc := range s.Model.Scenarios {
		if opt.Scenario == "" || sc.Name == opt.Scenario {
			jobs = append(jobs, job{sc.Name, Query{Scenario: sc.Name}})
		}
	}
	if opt.Scenario != "" && len(jobs) == 0 {
		_, err := s.resolve(Query{Scenario: opt.Scenario})
		return nil, err
	}
	rank, err := s.Rank(model.Ransomware)
	if err != nil {
		return nil, err
	}
	if len(jobs) == 0 && len(rank.Ranking) > 0 {
		top := rank.Ranking[0]
		jobs = append(jobs, job{fmt.Sprintf("The largest single compromise: %s (%s)", top.Name, top.ID), Query{Seeds: []string{top.ID}, Mode: model.Ransomware}})
	}
	for _, j := range jobs {
		res, err := s.Analyse(j.q)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", j.title, err)
		}
		// Every dominator and change, so that the brief counts them all;
		// the section carries the 10 that spare most.
		cp, err := s.chokepoints(j.q, math.MaxInt32)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", j.title, err)
		}
		brief, err := s.Brief(res, cp)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", j.title, err)
		}
		top := *cp
		top.Dominators, top.Changes = cp.Dominators[:min(len(cp.Dominators), 10)], cp.Changes[:min(len(cp.Changes), 10)]
		cp = &top
		sec := reportSection{Title: j.title, Result: res, Chokepoints: cp, Brief: brief}
		if opt.Draw == nil {
			sec.NoDrawing = "No drawing: " + opt.NoDraw
		} else if svg, err := s.Draw(res, opt.Depth, opt.Draw); err != nil {
			sec.NoDrawing = "No drawing: " + err.Error()
		} else {
			sec.SVG = base64.StdEncoding.EncodeToString(svg)
		}
		if tl, svg, err := s.Timeline(res, briefDaysWidth); err == nil {
			sec.TimelineText = TimelineWords(tl)
			if tl.Totals.Organisations > 0 {
				sec.Timeline = base64.StdEncoding.EncodeToString(svg)
			}
		} else if !errors.Is(err, ErrNoTimeData) {
			return nil, fmt.Errorf("%s: timeline: %w", j.title, err)
		}
		data.Scenarios = append(data.Scenarios, sec)
	}
	top := min(len(rank.Ranking), 25)
	data.Rank = &graph.Rank{Model: rank.Model, Mode: rank.Mode, Ranking: rank.Ranking[:top]}

	js, err := assets.ReadFile("assets/app.js")
	if err != nil {
		return nil, err
	}
	css, err := assets.ReadFile("assets/app.css")
	if err != nil {
		return nil, err
	}
	css = append(slices.Clip(css), page...)
	// json.Marshal escapes <, > and &, so the data cannot end its element.
	blob, err := json.Marshal(data)
	if err != nil {
		return nil, err
	}
	// A name that holds a character changing how text is shown is shown
	// with that character escaped.
	blob = textsafe.JSON(blob)
	title := data.Overview.Name
	if title == "" {
		title = s.File
	}
	var out bytes.Buffer
	err = reportPage.Execute(&out, map[string]any{
		"CSP":   fmt.Sprintf("default-src 'none'; script-src '%s'; style-src '%s'; img-src data:; base-uri 'none'; form-action 'none'", hash(js), hash(css)),
		"Title": "blastradius report: " + title,
		"CSS":   template.CSS(css),
		"JS":    template.JS(js),
		"Data":  template.JS(blob),
	})
	return out.Bytes(), err
}

// briefDaysWidth is how wide a brief's timeline draws its days, so that
// its names stay legible on the brief's printed page.
const briefDaysWidth = 480

// hash is a CSP source for an inline element's exact text.
func hash(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}
