package explore

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// svgTitle is the document title of an SVG, which must parse as XML.
func svgTitle(t *testing.T, svg []byte) string {
	t.Helper()
	var doc struct {
		Title string `xml:"title"`
	}
	if err := xml.Unmarshal(svg, &doc); err != nil {
		t.Fatalf("the SVG does not parse: %v", err)
	}
	return doc.Title
}

// TestTimelineEndpoint: /api/timeline answers the scenario's picture as
// SVG under the page's policy, refuses another Host, and without time data
// answers 404 saying what to add.
func TestTimelineEndpoint(t *testing.T) {
	h := NewServer("../examples/synnovis-2024.yaml", model.DefaultLimits, nil).Handler(8123)
	w := get(t, h, "/api/timeline?scenario="+strings.ReplaceAll("Qilin ransomware, June 2024", " ", "+"))
	if w.Code != 200 || w.Header().Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("%d %s: %s", w.Code, w.Header().Get("Content-Type"), w.Body.String())
	}
	if !strings.Contains(w.Header().Get("Content-Security-Policy"), "default-src 'none'") {
		t.Error("the timeline is served without the page's policy")
	}
	if got := svgTitle(t, w.Body.Bytes()); got != "Qilin ransomware, June 2024" {
		t.Errorf("the timeline's title is %q", got)
	}
	for _, name := range []string{"Guy's and St Thomas' NHS Foundation Trust", "GP practices in Bexley"} {
		if !strings.Contains(w.Body.String(), strings.ReplaceAll(name, "'", "&#39;")) {
			t.Errorf("the timeline lacks %q", name)
		}
	}
	// A what-if is made first: MFA on the laboratory system spares the trusts.
	w = get(t, h, "/api/timeline?seed=synnovis-access&assume=control:synnovis-lims:mfa")
	if w.Code != 200 || strings.Contains(w.Body.String(), "data-id=\"gstt\"") {
		t.Errorf("with the what-if: %d, gstt drawn: %v", w.Code, strings.Contains(w.Body.String(), "data-id=\"gstt\""))
	}
	if w := get(t, h, "/api/timeline?seed=nosuch"); w.Code != 400 {
		t.Errorf("an unknown seed: %d", w.Code)
	}
	r := httptest.NewRequest("GET", "/api/timeline?seed=synnovis", nil)
	r.Host = "evil.example:8123"
	rw := httptest.NewRecorder()
	h.ServeHTTP(rw, r)
	if rw.Code != 403 {
		t.Errorf("another Host: %d", rw.Code)
	}
	none := NewServer("../cmd/blastradius/testdata/hostile-names.yaml", model.DefaultLimits, nil).Handler(8123)
	if w := get(t, none, "/api/timeline?seed=supplier-x"); w.Code != 404 || !strings.Contains(w.Body.String(), "recovery") {
		t.Errorf("without time data: %d %q", w.Code, w.Body.String())
	}
}

// reportSections reads the scenarios of a report's data.
func reportSections(t *testing.T, page []byte) []reportSection {
	t.Helper()
	m := regexp.MustCompile(`(?s)<script type="application/json" id="report-data">(.*?)</script>`).FindSubmatch(page)
	if m == nil {
		t.Fatal("no report data")
	}
	var data reportData
	if err := json.NewDecoder(io.LimitReader(bytes.NewReader(m[1]), 1<<26)).Decode(&data); err != nil {
		t.Fatal(err)
	}
	return data.Scenarios
}

// TestReportTimeline: a brief whose scenario takes organisations down
// carries the picture and its sentence; one that takes none says so; a
// model without time data says nothing of time.
func TestReportTimeline(t *testing.T) {
	page, err := session(t, "../examples/synnovis-2024.yaml").Report(ReportOptions{Version: "test", NoDraw: "none"})
	if err != nil {
		t.Fatal(err)
	}
	secs := reportSections(t, page)
	if len(secs) != 3 {
		t.Fatalf("%d scenarios", len(secs))
	}
	svg, err := base64.StdEncoding.DecodeString(secs[0].Timeline)
	if err != nil || svgTitle(t, svg) != "Qilin ransomware, June 2024" {
		t.Errorf("the Qilin brief's timeline: %v", err)
	}
	if want := "13 organisations short; lost in all: 316 elective procedures, 4,744 outpatient appointments; every node back on 16 September 2024."; secs[0].TimelineText != want {
		t.Errorf("the Qilin brief says %q, want %q", secs[0].TimelineText, want)
	}
	for _, s := range secs[1:] {
		if s.Timeline != "" || !strings.HasPrefix(s.TimelineText, "No organisation loses capacity") {
			t.Errorf("%s: picture %v, words %q", s.Title, s.Timeline != "", s.TimelineText)
		}
	}
	page, err = session(t, "../examples/alder-hey-gateway-2024.yaml").Report(ReportOptions{Version: "test", NoDraw: "none"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range reportSections(t, page) {
		if s.Timeline != "" || s.TimelineText != "" {
			t.Errorf("%s: a model without time data has a timeline (%q)", s.Title, s.TimelineText)
		}
	}
}
